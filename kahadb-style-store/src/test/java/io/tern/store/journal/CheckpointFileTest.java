package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file format: a round trip, damage anywhere, sections from a newer version, other versions. */
@Timeout(60)
class CheckpointFileTest {
    private static final StoredSubscription SUB = new StoredSubscription("client", "name", "topic", "a = 1", true,
            false, "$subscription:7");

    @TempDir
    Path dir;

    /** What a reader saw, as lines. */
    private static final class Seen implements CheckpointReader.Visitor {
        final List<String> lines = new ArrayList<>();

        @Override
        public void message(String queue, long id, Location at) {
            lines.add(queue + " " + id + " " + at);
        }

        @Override
        public void subscription(StoredSubscription subscription, int file, long bytes) {
            lines.add(subscription + " in " + file + " (" + bytes + " bytes)");
        }

        @Override
        public void file(int file, int liveRecords, long liveBytes, int[] cancelled) {
            lines.add("file " + file + " live " + liveRecords + " (" + liveBytes + " bytes) cancels "
                    + Arrays.toString(cancelled));
        }

        @Override
        public void lastBranchSequence(long sequence) {
            lines.add("last sequence " + sequence);
        }

        @Override
        public void branch(PreparedBranches.Branch branch) {
            lines.add("branch " + branch.hex() + " #" + branch.sequence + " in " + branch.file + " (" + branch.bytes
                    + " bytes) adds " + branch.adds.stream().map(a -> a.queue() + " " + a.id() + " "
                    + a.ref().location()).toList() + " removes " + branch.removes);
        }

        @Override
        public void mark(String container, long id, int file, long bytes) {
            lines.add("mark " + container + " " + id + " in " + file + " (" + bytes + " bytes)");
        }
    }

    private static final byte[] XID = {1, 2, 3};

    private Path writeSample() throws IOException {
        MessageIndex index = new MessageIndex();
        index.put("orders", 1, new Location(3, 16, 100));
        index.put("orders", 2, new Location(3, 140, 100));
        index.put("sales", 5, new Location(4, 3_000_000_000L, 7));
        MessageRef pending = MessageRef.pending(new byte[7]);
        index.putPending("sales", 9, pending, 7);
        MessageIndex.Snapshot snapshot = index.snapshot();
        pending.written(new Location(5, 16, 7)); // written before the barrier, as the store guarantees
        FileReferences references = new FileReferences();
        references.added(3, 140);
        references.added(3, 140);
        references.added(4, 47);
        references.added(5, 47);
        references.added(5, 61);
        references.removed(2, 10, 5);
        PreparedBranches.Branch branch = new PreparedBranches.Branch(XID, 4,
                List.of(new PreparedBranches.Add("orders", 3, MessageRef.at(new Location(5, 90, 12)))),
                List.of(new io.tern.broker.store.StoreBatch.Remove("orders", 1)), 5, 120);
        Checkpoint checkpoint = new Checkpoint(new JournalPosition(5, 4242), snapshot,
                List.of(new SubscriptionIndex.Entry(SUB, 5, 61)), List.of(branch), 6,
                List.of(new MarkIndex.Entry("orders", 1000, 5, 31)), references.snapshot());
        return CheckpointWriter.write(dir, 17, checkpoint);
    }

    @Test
    void whatIsWrittenIsReadBack() throws Exception {
        Path file = writeSample();
        assertThat(file.getFileName().toString()).isEqualTo("checkpoint-17.ckpt");
        assertThat(dir.resolve("checkpoint-17.ckpt.tmp")).doesNotExist();
        Seen seen = new Seen();
        CheckpointReader.Header header = CheckpointReader.read(file, seen);
        assertThat(header).isEqualTo(new CheckpointReader.Header(17, new JournalPosition(5, 4242)));
        assertThat(CheckpointReader.header(file)).isEqualTo(header);
        assertThat(seen.lines).containsExactly(
                "orders 1 db-3.log@16+100",
                "orders 2 db-3.log@140+100",
                "sales 5 db-4.log@3000000000+7",
                "sales 9 db-5.log@16+7",
                SUB + " in 5 (" + RecordCodec.subscribe(SUB).bytes().remaining() + " bytes)",
                "file 3 live 2 (280 bytes) cancels []",
                "file 4 live 1 (47 bytes) cancels []",
                "file 5 live 2 (108 bytes) cancels [2]",
                "last sequence 6",
                "branch 010203 #4 in 5 (120 bytes) adds [orders 3 db-5.log@90+12] removes "
                        + List.of(new io.tern.broker.store.StoreBatch.Remove("orders", 1)),
                "mark orders 1000 in 5 (31 bytes)");
    }

    @Test
    void aDamagedByteAnywhereMakesTheCheckpointUnusable() throws Exception {
        Path file = writeSample();
        byte[] good = Files.readAllBytes(file);
        Path copy = dir.resolve("copy.ckpt");
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(copy, bad);
            int at = i;
            assertThatThrownBy(() -> CheckpointReader.read(copy, new Seen())).as("byte %d flipped", at)
                    .isInstanceOf(CheckpointReader.Unusable.class);
        }
        for (int length = 0; length < good.length; length++) {
            Files.write(copy, Arrays.copyOf(good, length));
            int at = length;
            assertThatThrownBy(() -> CheckpointReader.read(copy, new Seen())).as("cut at %d", at)
                    .isInstanceOf(CheckpointReader.Unusable.class);
        }
        Files.write(copy, Arrays.copyOf(good, good.length + 1));
        assertThatThrownBy(() -> CheckpointReader.read(copy, new Seen())).hasMessageContaining("follow the END");
    }

    @Test
    void aSectionOfANewerVersionIsSkippedWhenItsFlagAllowsAndRefusedOtherwise() throws Exception {
        Path file = writeSample();
        Path skippable = dir.resolve("checkpoint-18.ckpt");
        Files.write(skippable, withSectionBeforeEnd(Files.readAllBytes(file), 99,
                CheckpointDescriptor.FLAG_SKIPPABLE));
        Seen seen = new Seen();
        CheckpointReader.read(skippable, seen);
        assertThat(seen.lines).hasSize(11);

        Path required = dir.resolve("checkpoint-19.ckpt");
        Files.write(required, withSectionBeforeEnd(Files.readAllBytes(file), 99, 0));
        assertThatThrownBy(() -> CheckpointReader.read(required, new Seen())).isInstanceOf(JournalException.class)
                .hasMessageContaining("section type 99").hasMessageContaining("newer Tern");
    }

    @Test
    void anotherFormatVersionIsRefusedNamingBothVersions() throws Exception {
        byte[] bytes = Files.readAllBytes(writeSample());
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(CheckpointDescriptor.VERSION_OFFSET, 2);
        header.putInt(CheckpointDescriptor.HEADER_CRC_OFFSET, CheckpointDescriptor.headerCrc(header));
        Path file = dir.resolve("checkpoint-20.ckpt");
        Files.write(file, bytes);
        assertThatThrownBy(() -> CheckpointReader.read(file, new Seen())).isInstanceOf(JournalException.class)
                .hasMessageContaining("checkpoint format version 2").hasMessageContaining("version 1");
    }

    @Test
    void namesAreOrderedBySequence() throws Exception {
        for (long sequence : new long[] {9, 10, 2}) {
            Files.write(dir.resolve(CheckpointDescriptor.name(sequence)), new byte[0]);
        }
        Files.write(dir.resolve("checkpoint-11.ckpt.unusable"), new byte[0]);
        Files.write(dir.resolve("checkpoint-x.ckpt"), new byte[0]);
        assertThat(CheckpointDescriptor.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-10.ckpt", "checkpoint-9.ckpt", "checkpoint-2.ckpt");
        assertThat(CheckpointDescriptor.highestSequence(dir)).isEqualTo(11);
    }

    @Test
    void aCheckpointWithoutOneOfTheSectionsIsUnusable() throws Exception {
        byte[] good = Files.readAllBytes(writeSample());
        for (CheckpointDescriptor.Section section : CheckpointDescriptor.Section.values()) {
            if (section == CheckpointDescriptor.Section.END) {
                continue;
            }
            Path without = dir.resolve("checkpoint-30.ckpt");
            Files.write(without, withoutSection(good, section.code));
            assertThatThrownBy(() -> CheckpointReader.read(without, new Seen())).as("without %s", section)
                    .isInstanceOf(CheckpointReader.Unusable.class)
                    .hasMessageContaining("has no " + section + " section");
        }
    }

    /** The checkpoint without its section of {@code type} (each section carries its own CRC). */
    private static byte[] withoutSection(byte[] checkpoint, int type) {
        ByteBuffer in = ByteBuffer.wrap(checkpoint).order(ByteOrder.LITTLE_ENDIAN);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(checkpoint, 0, CheckpointDescriptor.HEADER_LENGTH);
        int at = CheckpointDescriptor.HEADER_LENGTH;
        while (at < checkpoint.length) {
            int length = CheckpointDescriptor.SECTION_HEADER_LENGTH + (int) in.getLong(at + 4)
                    + CheckpointDescriptor.SECTION_CRC_LENGTH;
            if (Short.toUnsignedInt(in.getShort(at)) != type) {
                out.write(checkpoint, at, length);
            }
            at += length;
        }
        return out.toByteArray();
    }

    /** Inserts a section of {@code type} with a 5-byte payload before the END section (the last 16 bytes). */
    private static byte[] withSectionBeforeEnd(byte[] checkpoint, int type, int flags) {
        int endAt = checkpoint.length - CheckpointDescriptor.SECTION_HEADER_LENGTH
                - CheckpointDescriptor.SECTION_CRC_LENGTH;
        ByteBuffer section = ByteBuffer.allocate(CheckpointDescriptor.SECTION_HEADER_LENGTH + 5
                + CheckpointDescriptor.SECTION_CRC_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        section.putShort((short) type).putShort((short) flags).putLong(5).put(new byte[] {1, 2, 3, 4, 5});
        CRC32C crc = new CRC32C();
        crc.update(section.array(), 0, section.position());
        section.putInt((int) crc.getValue());
        byte[] out = new byte[checkpoint.length + section.capacity()];
        System.arraycopy(checkpoint, 0, out, 0, endAt);
        System.arraycopy(section.array(), 0, out, endAt, section.capacity());
        System.arraycopy(checkpoint, endAt, out, endAt + section.capacity(), checkpoint.length - endAt);
        return out;
    }
}
