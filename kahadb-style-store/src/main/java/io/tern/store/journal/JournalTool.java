package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    private final boolean why;
    /** For {@code why}: the state recovery would build, rebuilt with recovery's rules (nothing is changed). */
    private final MessageIndex index = new MessageIndex();
    private final SubscriptionIndex subscriptions = new SubscriptionIndex();
    private final PreparedBranches branches = new PreparedBranches();
    private final FileReferences references = new FileReferences();
    private final List<Integer> files = new ArrayList<>();
    private final Recovery.Replay replay;
    private int problems;

    private JournalTool(Path dir, PrintStream out, String command) {
        this.out = out;
        this.dump = command.equals("dump");
        this.why = command.equals("why");
        this.replay = Recovery.replayOnly(dir, index, subscriptions, branches, references);
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
        JournalTool tool = new JournalTool(Path.of(args[1]), out, args[0]);
        try {
            for (Path path : Recovery.dataFiles(Path.of(args[1]))) {
                tool.scan(path);
            }
        } catch (IOException | JournalException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        if (tool.why) {
            int current = tool.files.isEmpty() ? -1 : tool.files.get(tool.files.size() - 1);
            FileUsage.describe(tool.files, current, tool.index, tool.subscriptions, tool.branches, tool.references)
                    .forEach(out::println);
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
            files.add(file.number());
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
                if (print(path, offset, scanner) && why) {
                    replay.apply(file, scanner, offset);
                }
                offset += scanner.recordLength(offset);
            }
            out.println(path.getFileName() + ": " + records + " valid records, " + scanner.fileSize() + " bytes");
        } finally {
            file.close();
        }
    }

    /** Decodes (and with {@code dump} prints) one valid record; false when its payload is malformed. */
    private boolean print(Path path, long offset, RecordScanner scanner) throws IOException {
        RecordType type = scanner.type(offset);
        String within = type == RecordType.TX ? " (in a TX record)" : "";
        String at = path.getFileName() + "@" + offset + " ";
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
        });
        if (malformed != null) {
            problem(path, offset, malformed);
            return false;
        }
        return true;
    }

    private void problem(Path path, long offset, String what) {
        problems++;
        out.println(path + " at offset " + offset + ": " + what);
    }
}
