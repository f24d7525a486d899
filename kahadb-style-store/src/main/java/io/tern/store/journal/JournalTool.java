package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a journal directory without a broker and without changing it.
 *
 * <pre>
 *   java -cp ... io.tern.store.journal.JournalTool verify DIR   # checks every checkpoint and record; exit 1 when any is bad
 *   java -cp ... io.tern.store.journal.JournalTool dump DIR     # prints every record (and what each checkpoint holds)
 *   java -cp ... io.tern.store.journal.JournalTool why DIR      # says what keeps each data file on disk
 * </pre>
 *
 * {@code why} builds the state a start would (the newest usable checkpoint and the records after it, with
 * {@link Recovery}'s own rules, changing nothing) and describes it with {@link FileUsage}, the code behind the running
 * store's {@link JournalStore#describeSpace()}.
 */
public final class JournalTool {
    private final PrintStream out;
    private final boolean dump;
    private int problems;

    private JournalTool(PrintStream out, boolean dump) {
        this.out = out;
        this.dump = dump;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs a command; returns the exit code: 0 all good, 1 bad records or checkpoints found, 2 usage or I/O error. */
    static int run(String[] args, PrintStream out) {
        if (args.length != 2 || !(args[0].equals("verify") || args[0].equals("dump") || args[0].equals("why"))) {
            out.println("usage: JournalTool verify|dump|why DIR");
            return 2;
        }
        JournalTool tool = new JournalTool(out, args[0].equals("dump"));
        Path dir = Path.of(args[1]);
        try {
            tool.checkpoints(dir);
            for (Path path : Recovery.dataFiles(dir)) {
                tool.scan(path);
            }
            if (args[0].equals("why")) {
                tool.why(dir);
            }
        } catch (IOException | JournalException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        out.println(tool.problems == 0 ? "ok" : tool.problems + " problem(s)");
        return tool.problems == 0 ? 0 : 1;
    }

    /** One checkpoint's contents, counted. */
    private static final class Summary implements CheckpointReader.Visitor {
        final Map<String, long[]> queues = new TreeMap<>();
        final List<String> details = new ArrayList<>();
        int messages;
        int subscriptions;
        int files;
        int branches;
        int marks;

        @Override
        public void message(String queue, long id, Location at) {
            long[] q = queues.computeIfAbsent(queue, k -> new long[] {0, id, id});
            q[0]++;
            q[2] = id;
            messages++;
        }

        @Override
        public void subscription(StoredSubscription subscription, int file, long bytes) {
            subscriptions++;
        }

        @Override
        public void file(int file, int liveRecords, long liveBytes, int[] cancelled) {
            files++;
        }

        @Override
        public void lastBranchSequence(long sequence) {
            // not summarised
        }

        @Override
        public void branch(PreparedBranches.Branch branch) {
            branches++;
            details.add("prepared branch xid=" + branch.hex() + " sequence=" + branch.sequence + " adds="
                    + branch.adds.size() + " removes=" + branch.removes.size() + " in "
                    + JournalFile.name(branch.file));
        }

        @Override
        public void mark(String container, long id, int file, long bytes) {
            marks++;
            details.add("delivered mark container=" + container + " id=" + id + " in " + JournalFile.name(file));
        }

        @Override
        public String toString() {
            return messages + " messages in " + queues.size() + " destinations, " + subscriptions
                    + " durable subscriptions, " + branches + " prepared branches, " + marks + " delivered marks, "
                    + "references of " + files + " data files";
        }
    }

    /** Checks every checkpoint and says what each holds. */
    private void checkpoints(Path dir) throws IOException {
        for (Path path : CheckpointDescriptor.list(dir)) {
            Summary summary = new Summary();
            CheckpointReader.Header header;
            try {
                header = CheckpointReader.read(path, summary);
            } catch (CheckpointReader.Unusable e) {
                problem(path, 0, "unusable checkpoint: " + e.getMessage());
                continue;
            }
            out.println(path.getFileName() + ": the index as of journal position " + header.position() + ": "
                    + summary);
            if (dump) {
                summary.queues.forEach((queue, q) -> out.println(path.getFileName() + " queue=" + queue + " "
                        + q[0] + " messages, ids " + q[1] + ".." + q[2]));
                summary.details.forEach(d -> out.println(path.getFileName() + " " + d));
            }
        }
    }

    /** What a start would rebuild, described file by file. */
    private void why(Path dir) {
        Recovery.Result state = Recovery.inspect(dir);
        try {
            List<Integer> files = state.files().stream().map(JournalFile::number).toList();
            int current = files.isEmpty() ? -1 : files.get(files.size() - 1);
            int[] floors = Checkpointer.floors(state.checkpoints());
            Arrays.sort(floors);
            out.println(FileUsage.start(state.checkpoints()));
            FileUsage.describe(files, current, state.index(), state.subscriptions(), state.branches(),
                    state.marks(), state.references(), floors).forEach(out::println);
        } finally {
            Recovery.closeAll(state.files());
        }
    }

    private void scan(Path path) throws IOException {
        JournalFile file = JournalFile.openReadOnly(path);
        try {
            if (file.size() < FileHeaderDescriptor.LENGTH) {
                problem(path, 0, "shorter than its header");
                return;
            }
            ByteBuffer header = ByteBuffer.allocate(FileHeaderDescriptor.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            file.readFully(header, 0);
            String bad = FileHeaderDescriptor.magicProblem(header, path);
            if (bad != null) {
                problem(path, 0, bad);
                return;
            }
            FileHeaderDescriptor.checkVersion(header, path);
            RecordScanner scanner = new RecordScanner(file);
            long offset = FileHeaderDescriptor.LENGTH;
            int records = 0;
            long zeroed = 0;
            while (offset < scanner.fileSize()) {
                String problem = scanner.check(offset);
                if (problem != null && scanner.zerosFrom(offset)) {
                    zeroed = scanner.fileSize() - offset; // written ahead of the records (a crash left it)
                    break;
                }
                if (problem != null) {
                    problem(path, offset, problem);
                    offset = scanner.nextValid(offset);
                    if (offset < 0) {
                        break;
                    }
                    continue;
                }
                records++;
                print(path, offset, scanner);
                offset += scanner.recordLength(offset);
            }
            out.println(path.getFileName() + ": " + records + " valid records, " + scanner.fileSize() + " bytes"
                    + (zeroed > 0 ? " (the last " + zeroed + " zeros, written ahead of the records)" : ""));
        } finally {
            file.close();
        }
    }

    /** Decodes (and with {@code dump} prints) one valid record; a malformed payload is a problem. */
    private void print(Path path, long offset, RecordScanner scanner) throws IOException {
        RecordType type = scanner.type(offset);
        String within = type == RecordType.TX ? " (in a TX record)" : "";
        String at = path.getFileName() + "@" + offset + " ";
        String malformed = RecordCodec.decode(type, scanner.payload(offset), new RecordCodec.Visitor() {
            @Override
            public void add(String queue, long id, int envelopeOffset, int envelopeLength) {
                if (dump) {
                    out.println(at + "ADD queue=" + queue + " id=" + id + " envelope=" + envelopeLength + " bytes"
                            + within);
                }
            }

            @Override
            public void remove(String queue, long id) {
                if (dump) {
                    out.println(at + "REMOVE queue=" + queue + " id=" + id + within);
                }
            }

            @Override
            public void subscribe(StoredSubscription s) {
                if (dump) {
                    out.println(at + "SUBSCRIBE container=" + s.container() + " clientId=" + s.clientId() + " name="
                            + s.name() + " topic=" + s.topic() + " selector=" + s.selector() + " noLocal="
                            + s.noLocal() + " shared=" + s.shared());
                }
            }

            @Override
            public void unsubscribe(String container) {
                if (dump) {
                    out.println(at + "UNSUBSCRIBE container=" + container);
                }
            }

            @Override
            public void prepare(byte[] xid, long sequence, List<RecordCodec.AddAt> adds,
                                List<StoreBatch.Remove> removes) {
                if (dump) {
                    out.println(at + "PREPARE xid=" + PreparedBranches.hex(xid) + " sequence=" + sequence + " adds="
                            + adds.size() + " removes=" + removes.size());
                    for (RecordCodec.AddAt add : adds) {
                        out.println(at + "ADD queue=" + add.queue() + " id=" + add.id() + " envelope="
                                + add.envelopeLength() + " bytes (in a PREPARE record)");
                    }
                    for (StoreBatch.Remove remove : removes) {
                        out.println(at + "REMOVE queue=" + remove.queue() + " id=" + remove.id()
                                + " (in a PREPARE record)");
                    }
                }
            }

            @Override
            public void commitPrepared(byte[] xid) {
                if (dump) {
                    out.println(at + "COMMIT_PREPARED xid=" + PreparedBranches.hex(xid));
                }
            }

            @Override
            public void rollbackPrepared(byte[] xid) {
                if (dump) {
                    out.println(at + "ROLLBACK_PREPARED xid=" + PreparedBranches.hex(xid));
                }
            }

            @Override
            public void move(String queue, long id, int envelopeOffset, int envelopeLength) {
                if (dump) {
                    out.println(at + "MOVE queue=" + queue + " id=" + id + " envelope=" + envelopeLength
                            + " bytes (moved by compaction)");
                }
            }

            @Override
            public void mark(String container, long id) {
                if (dump) {
                    out.println(at + "MARK container=" + container + " id=" + id);
                }
            }
        });
        if (malformed != null) {
            problem(path, offset, malformed);
        }
    }

    private void problem(Path path, long offset, String what) {
        problems++;
        out.println(path + " at offset " + offset + ": " + what);
    }
}
