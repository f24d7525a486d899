package io.tern.broker.destination;

import io.tern.broker.dispatch.DispatchQueue;

/**
 * A consumer attached to a {@link DispatchQueue}, for a queue or a topic subscription alike: credit and resume go
 * to the dispatch queue; close detaches once, then runs {@code afterClose}.
 */
final class DispatchSubscription implements Subscription {
    private final DispatchQueue dispatch;
    private final DispatchQueue.Attachment attachment;
    private final Runnable afterClose;
    private boolean closed;

    DispatchSubscription(DispatchQueue dispatch, DispatchQueue.Attachment attachment, Runnable afterClose) {
        this.dispatch = dispatch;
        this.attachment = attachment;
        this.afterClose = afterClose;
    }

    @Override
    public void addCredit(int credit) {
        dispatch.addCredit(attachment, credit);
    }

    @Override
    public void pause() {
        dispatch.pause(attachment);
    }

    @Override
    public void resume() {
        dispatch.dispatch();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dispatch.detach(attachment);
        afterClose.run();
    }
}
