package io.tern.store.journal;

import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads a journal directory without a broker and without changing it.
 *
 * <pre>
 *   java -cp ... io.tern.store.journal.JournalTool verify DIR   # checks every record; exit 1 when any is bad
 *   java -cp ... io.tern.store.journal.JournalTool dump DIR     # prints every record
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

    /** Runs a command; returns the exit code: 0 all good, 1 bad records found, 2 usage or I/O error. */
    static int run(String[] args, PrintStream out) {
        if (args.length != 2 || !(args[0].equals("verify") || args[0].equals("dump") || args[0].equals("why"))) {
            out.println("usage: JournalTool verify|dump|why DIR");
            return 2;
        }
        JournalTool tool = new JournalTool(out, args[0].equals("dump"));
        try {
            for (Path path : Recovery.dataFiles(Path.of(args[1]))) {
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
                print(path, offset, scanner);
                offset += scanner.recordLength(offset);
            }
            out.println(path.getFileName() + ": " + records + " valid records, " + scanner.fileSize() + " bytes");
        } finally {
            file.close();
        }
    }

    private void print(Path path, long offset, RecordScanner scanner) throws IOException {
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
            RecordCodec.decode(type, scanner.payload(offset), usage.visitor(path.getFileName().toString()));
        }
    }

    private void problem(Path path, long offset, String what) {
        problems++;
        out.println(path + " at offset " + offset + ": " + what);
    }
}
