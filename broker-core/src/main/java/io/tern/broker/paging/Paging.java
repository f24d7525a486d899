package io.tern.broker.paging;

import java.util.concurrent.Executor;

/**
 * What the backlogs of one broker share.
 *
 * @param budget the memory budget their containers charge
 * @param pager  where page reads run: a pool of worker threads, never a Netty event loop or the timer thread
 */
public record Paging(MemoryBudget budget, Executor pager) {
}
