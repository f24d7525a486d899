package io.tern.store.journal;

import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
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
 */
public final class JournalTool {
    private final PrintStream out;
    private final boolean dump;
    private final FileUsage usage = new FileUsage();
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
        } catch (IOException | JournalException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        if (args[0].equals("why")) {
            tool.usage.report().forEach(out::println);
        }
        out.println(tool.problems == 0 ? "ok" : tool.problems + " problem(s)");
        return tool.problems == 0 ? 0 : 1;
    }

    /** One checkpoint's contents, counted. */
    private static final class Summary implements CheckpointReader.Visitor {
        final Map<String, long[]> queues = new TreeMap<>();
        int messages;
        int subscriptions;
        int files;

        @Override
        public void message(String queue, long id, Location at) {
            long[] q = queues.computeIfAbsent(queue, k -> new long[] {0, id, id});
            q[0]++;
            q[2] = id;
            messages++;
        }

        @Override
        public void subscription(StoredSubscription subscription, int file) {
            subscriptions++;
        }

        @Override
        public void file(int file, int liveAdds, int[] cancelled) {
            files++;
        }

        @Override
        public String toString() {
            return messages + " messages in " + queues.size() + " destinations, " + subscriptions
                    + " durable subscriptions, references of " + files + " data files";
        }
    }

    /** Checks every checkpoint; the newest usable one is where {@code why} starts, as a restart would. */
    private void checkpoints(Path dir) throws IOException {
        List<Checkpointer.Kept> kept = new ArrayList<>();
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
            }
            if (kept.size() < Checkpointer.KEPT) {
                kept.add(0, new Checkpointer.Kept(path, header.sequence(), header.position()));
            }
        }
        if (!kept.isEmpty()) {
            Checkpointer.Kept newest = kept.get(kept.size() - 1);
            try {
                CheckpointReader.read(newest.path(), usage.checkpoint(newest.path().getFileName().toString(),
                        newest.position(), kept));
            } catch (CheckpointReader.Unusable e) {
                throw new IOException(newest.path() + " changed while being read: " + e.getMessage(), e);
            }
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
            usage.file(path.getFileName().toString());
            int number = JournalFile.numberOf(path);
            long offset = FileHeaderDescriptor.LENGTH;
            int records = 0;
            while (offset < scanner.fileSize()) {
                String problem = scanner.check(offset);
                if (problem != null) {
                    problem(path, offset, problem);
                    offset = scanner.nextValid(offset);
                    if (offset < 0) {
                        break;
                    }
                    continue;
                }
                records++;
                print(path, number, offset, scanner);
                offset += scanner.recordLength(offset);
            }
            out.println(path.getFileName() + ": " + records + " valid records, " + scanner.fileSize() + " bytes");
        } finally {
            file.close();
        }
    }

    private void print(Path path, int number, long offset, RecordScanner scanner) throws IOException {
        RecordType type = scanner.type(offset);
        String within = type == RecordType.TX ? " (in a TX record)" : "";
        String malformed = RecordCodec.decode(type, scanner.payload(offset), new RecordCodec.Visitor() {
            @Override
            public void add(String queue, long id, int envelopeOffset, int envelopeLength) {
                if (dump) {
                    out.println(path.getFileName() + "@" + offset + " ADD queue=" + queue + " id=" + id
                            + " envelope=" + envelopeLength + " bytes" + within);
                }
            }

            @Override
            public void remove(String queue, long id) {
                if (dump) {
                    out.println(path.getFileName() + "@" + offset + " REMOVE queue=" + queue + " id=" + id + within);
                }
            }

            @Override
            public void subscribe(StoredSubscription s) {
                if (dump) {
                    out.println(path.getFileName() + "@" + offset + " SUBSCRIBE container=" + s.container()
                            + " clientId=" + s.clientId() + " name=" + s.name() + " topic=" + s.topic() + " selector="
                            + s.selector() + " noLocal=" + s.noLocal() + " shared=" + s.shared());
                }
            }

            @Override
            public void unsubscribe(String container) {
                if (dump) {
                    out.println(path.getFileName() + "@" + offset + " UNSUBSCRIBE container=" + container);
                }
            }
        });
        if (malformed != null) {
            problem(path, offset, malformed);
        } else {
            RecordCodec.decode(type, scanner.payload(offset), usage.visitor(number, offset));
        }
    }

    private void problem(Path path, long offset, String what) {
        problems++;
        out.println(path + " at offset " + offset + ": " + what);
    }
}
