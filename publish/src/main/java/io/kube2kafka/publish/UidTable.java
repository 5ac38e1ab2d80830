package io.kube2kafka.publish;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * uid -> (resourceVersion, partition, offset) for a million objects in about 40-54 bytes each, where a
 * {@code HashMap<String, record>} spends about 200: a relist of a big cluster must fit a small heap
 * next to the list it compares (issue 13).
 *
 * <p>Kubernetes uids are RFC 4122 UUIDs in their lower-case text form (apimachinery's
 * {@code util/uuid.NewUUID} is {@code google/uuid}'s {@code NewUUID().String()}), so a uid is kept as two
 * longs. resourceVersions are opaque strings (api-concepts: "clients must not assume resource versions
 * are numeric"), but etcd3's are the decimal revision ({@code storage/etcd3/api_object_versioner.go}:
 * {@code strconv.FormatUint}), so a canonical decimal one is kept as a long. Anything else (a uid that is
 * not a lower-case UUID, a resourceVersion that is not canonical decimal, a position beyond the packed
 * range) is kept exactly as given in small maps beside the arrays: no value is ever lost or altered.
 *
 * <p>Open addressing with linear probing over one array of four-long slots; a removed slot becomes a tombstone until
 * the next rehash. Each slot also has a "listed" bit for the list in progress ({@link #clearListed()},
 * {@link #markListed(String)}, {@link #unlisted()}), so a list need not keep a set of every uid it saw.
 * Every method is synchronized: the publisher's thread writes while the watch's thread compares.
 */
public final class UidTable {
    /** A live object's facts. */
    public record Held(String resourceVersion, int partition, long offset) {
    }

    /** A slot's position when the slot is free. */
    private static final long EMPTY = 0;
    /** A slot's position when its entry was removed; probing goes on past it. */
    private static final long REMOVED = -1;
    /** A slot's position when it is kept in {@link #positionElsewhere}. */
    private static final long POSITION_ELSEWHERE = -2;
    /** A slot's resourceVersion when it is kept in {@link #rvElsewhere}. */
    private static final long RV_ELSEWHERE = -1;
    /** Packed positions: partition + 1 in bits 48-62, offset in bits 0-47 (2.8e14 records per partition). */
    private static final int OFFSET_BITS = 48;
    private static final long MAX_PACKED_OFFSET = (1L << OFFSET_BITS) - 1;
    private static final int MAX_PACKED_PARTITION = (1 << 14) - 2;
    /**
     * Rehash above 80 % of slots in use (tombstones included) to 60 % live: 33 bytes a slot, so 41-55
     * bytes per object; linear probing stays short (about 3 probes for a miss at 80 %).
     */
    private static final double MAX_LOAD = 0.8;
    private static final double LOAD_AFTER_REHASH = 0.6;
    private static final int MIN_CAPACITY = 16;
    /** Longs per slot in {@link #slots}, and where each fact is among them. */
    private static final int STRIDE = 4;
    private static final int POS = 0;
    private static final int HI = 1;
    private static final int LO = 2;
    private static final int RV = 3;
    /** The most slots one array of longs can hold. */
    private static final int MAX_CAPACITY = (Integer.MAX_VALUE - 8) / STRIDE;

    /**
     * Per slot, four longs side by side: its position (or EMPTY, REMOVED), the uid's two halves and the
     * resourceVersion. Side by side, not in four arrays: a lookup reads them together, and the table of
     * a big cluster is far larger than the CPU's caches, so four arrays cost four cache misses where
     * one slot costs one or two (the firehose's publisher spent a sixth of its Java time on them).
     */
    private long[] slots;
    private long[] listed;
    private int capacity;
    private int live;
    private int removed;
    /** uids that are not lower-case UUIDs, with everything about them. */
    private final Map<String, Other> others = new HashMap<>();
    private final Map<String, String> rvElsewhere = new HashMap<>();
    private final Map<String, TopicReader.Position> positionElsewhere = new HashMap<>();

    /** An entry whose uid is not a lower-case UUID. */
    private static final class Other {
        Held held;
        boolean listed;

        Other(Held held) {
            this.held = held;
        }
    }

    public UidTable() {
        this(MIN_CAPACITY);
    }

    /** @param capacity slots to start with (tests use a few, to force collisions and growth) */
    UidTable(int capacity) {
        allocate(Math.max(2, capacity));
    }

    private void allocate(int count) {
        capacity = count;
        slots = new long[count * STRIDE];
        listed = new long[(count + 63) >>> 6];
        live = 0;
        removed = 0;
    }

    /**
     * Holds uid at this resourceVersion and position. A new entry counts as listed: it was written after
     * the list in progress began (by that list, or handed over from another watch), so it is not
     * something the list lacked.
     */
    public synchronized void put(String uid, String resourceVersion, int partition, long offset) {
        if (resourceVersion == null) {
            throw new IllegalArgumentException("uid " + uid + ": no resourceVersion to hold");
        }
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("uid " + uid + ": no position at partition " + partition + " offset " + offset);
        }
        Uuid id = Uuid.parse(uid);
        if (id == null) {
            Other other = others.get(uid);
            if (other == null) {
                others.put(uid, other = new Other(null));
                other.listed = true;
            }
            other.held = new Held(resourceVersion, partition, offset);
            return;
        }
        if (live + removed + 1 > capacity * MAX_LOAD) {
            rehash(live + 1);
        }
        int slot = probe(id.hi, id.lo);
        if (slot < 0) {
            slot = -slot - 1;
            if (pos(slot) == REMOVED) {
                removed--;
            }
            slots[slot * STRIDE + HI] = id.hi;
            slots[slot * STRIDE + LO] = id.lo;
            live++;
            setListed(slot, true);
        } else {
            forgetElsewhere(slot, uid);
        }
        long decimal = canonicalDecimal(resourceVersion);
        slots[slot * STRIDE + RV] = decimal;
        if (decimal == RV_ELSEWHERE) {
            rvElsewhere.put(uid, resourceVersion);
        }
        if (partition <= MAX_PACKED_PARTITION && offset <= MAX_PACKED_OFFSET) {
            slots[slot * STRIDE + POS] = ((long) (partition + 1) << OFFSET_BITS) | offset;
        } else {
            slots[slot * STRIDE + POS] = POSITION_ELSEWHERE;
            positionElsewhere.put(uid, new TopicReader.Position(partition, offset));
        }
    }

    /** @return whether uid was held */
    public synchronized boolean remove(String uid) {
        Uuid id = Uuid.parse(uid);
        if (id == null) {
            return others.remove(uid) != null;
        }
        int slot = find(id.hi, id.lo);
        if (slot < 0) {
            return false;
        }
        forgetElsewhere(slot, uid);
        slots[slot * STRIDE + POS] = REMOVED;
        setListed(slot, false);
        live--;
        removed++;
        return true;
    }

    /** What is held for uid, or null. */
    public synchronized Held get(String uid) {
        Uuid id = Uuid.parse(uid);
        if (id == null) {
            Other other = others.get(uid);
            return other == null ? null : other.held;
        }
        int slot = find(id.hi, id.lo);
        return slot < 0 ? null : held(slot, uid);
    }

    /** The resourceVersion held for uid, or null. */
    public synchronized String resourceVersionOf(String uid) {
        Held held = get(uid);
        return held == null ? null : held.resourceVersion();
    }

    /** A list begins: no entry is listed yet. */
    public synchronized void clearListed() {
        Arrays.fill(listed, 0);
        others.values().forEach(other -> other.listed = false);
    }

    /** The list in progress has this uid: marks it, and returns the resourceVersion held, or null when none is. */
    public synchronized String markListed(String uid) {
        Uuid id = Uuid.parse(uid);
        if (id == null) {
            Other other = others.get(uid);
            if (other == null) {
                return null;
            }
            other.listed = true;
            return other.held.resourceVersion();
        }
        int slot = find(id.hi, id.lo);
        if (slot < 0) {
            return null;
        }
        setListed(slot, true);
        return resourceVersion(slot, uid);
    }

    /**
     * The uids held that the list in progress has not marked, in the order of their records in the
     * topic (partition, then offset): their last states are read back in groups, and a group of
     * neighbours is one short read where a group spread over the topic costs a read of all of it
     * (a million-object relist spent 130 s so, 20 s in order).
     */
    public synchronized List<String> unlisted() {
        List<Integer> unlistedSlots = new ArrayList<>();
        for (int slot = 0; slot < capacity; slot++) {
            if (pos(slot) != EMPTY && pos(slot) != REMOVED && !isListed(slot)) {
                unlistedSlots.add(slot);
            }
        }
        // Packed positions order as (partition, offset); the few kept elsewhere go last.
        unlistedSlots.sort(java.util.Comparator.comparingLong(slot -> pos(slot) == POSITION_ELSEWHERE ? Long.MAX_VALUE : pos(slot)));
        List<String> unlisted = new ArrayList<>(unlistedSlots.size());
        for (int slot : unlistedSlots) {
            unlisted.add(Uuid.format(hi(slot), lo(slot)));
        }
        others.forEach((uid, other) -> {
            if (!other.listed) {
                unlisted.add(uid);
            }
        });
        return unlisted;
    }

    public synchronized int size() {
        return live + others.size();
    }

    /**
     * The heap this table holds: its arrays exactly, and the entries kept beside them at an estimated
     * 200 bytes each (a HashMap entry with its strings).
     */
    public synchronized long footprintBytes() {
        long arrays = 16 + 8L * slots.length + 16 + 8L * listed.length;
        return arrays + 200L * (others.size() + rvElsewhere.size() + positionElsewhere.size());
    }

    private Held held(int slot, String uid) {
        int partition;
        long offset;
        if (pos(slot) == POSITION_ELSEWHERE) {
            TopicReader.Position position = positionElsewhere.get(uid);
            partition = position.partition();
            offset = position.offset();
        } else {
            partition = (int) (pos(slot) >>> OFFSET_BITS) - 1;
            offset = pos(slot) & MAX_PACKED_OFFSET;
        }
        return new Held(resourceVersion(slot, uid), partition, offset);
    }

    private String resourceVersion(int slot, String uid) {
        return rv(slot) == RV_ELSEWHERE ? rvElsewhere.get(uid) : Long.toString(rv(slot));
    }

    private void forgetElsewhere(int slot, String uid) {
        if (rv(slot) == RV_ELSEWHERE) {
            rvElsewhere.remove(uid);
        }
        if (pos(slot) == POSITION_ELSEWHERE) {
            positionElsewhere.remove(uid);
        }
    }

    /** The slot holding this uid, or -1. */
    private int find(long hi, long lo) {
        int slot = probe(hi, lo);
        return slot < 0 ? -1 : slot;
    }

    /**
     * One walk of this uid's probe path: the slot holding it, or else -(slot to insert it at) - 1,
     * the first removed slot on the path or the free one that ends it. (Finding, then walking again
     * for an insertion slot, cost a first list of a million 7 % of its CPU.)
     */
    private int probe(long hi, long lo) {
        int slot = home(hi, lo);
        int firstRemoved = -1;
        while (pos(slot) != EMPTY) {
            if (pos(slot) == REMOVED) {
                if (firstRemoved < 0) {
                    firstRemoved = slot;
                }
            } else if (hi(slot) == hi && lo(slot) == lo) {
                return slot;
            }
            slot = next(slot);
        }
        return -(firstRemoved >= 0 ? firstRemoved : slot) - 1;
    }

    /** The first removed or free slot on this uid's probe path; call when the uid is not held. */
    private int insertionSlot(long hi, long lo) {
        int slot = home(hi, lo);
        while (pos(slot) != EMPTY && pos(slot) != REMOVED) {
            slot = next(slot);
        }
        return slot;
    }

    /** Where a lower-case UUID's probe path starts; tests use it to make uids collide. */
    synchronized int homeSlot(String uid) {
        Uuid id = Uuid.parse(uid);
        if (id == null) {
            throw new IllegalArgumentException(uid + " is not a lower-case UUID");
        }
        return home(id.hi, id.lo);
    }

    synchronized int capacity() {
        return capacity;
    }

    private int next(int slot) {
        return slot + 1 == capacity ? 0 : slot + 1;
    }

    /**
     * Any capacity, not only powers of two (so the table grows by 1/3 and not by doubling, which would
     * leave it half empty): the mixed hash's high 32 bits scaled to [0, capacity) (Lemire's "fast range").
     */
    private int home(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) (((h >>> 32) * capacity) >>> 32);
    }

    private void rehash(int needed) {
        long[] old = slots;
        long[] oldListed = listed;
        int oldCapacity = capacity;
        allocate(Math.max(MIN_CAPACITY, (int) Math.min(MAX_CAPACITY, (long) Math.ceil(needed / LOAD_AFTER_REHASH))));
        for (int from = 0; from < oldCapacity; from++) {
            int at = from * STRIDE;
            if (old[at + POS] == EMPTY || old[at + POS] == REMOVED) {
                continue;
            }
            int slot = insertionSlot(old[at + HI], old[at + LO]);
            System.arraycopy(old, at, slots, slot * STRIDE, STRIDE);
            setListed(slot, (oldListed[from >>> 6] & (1L << from)) != 0);
            live++;
        }
    }

    private long pos(int slot) {
        return slots[slot * STRIDE + POS];
    }

    private long rv(int slot) {
        return slots[slot * STRIDE + RV];
    }

    private long hi(int slot) {
        return slots[slot * STRIDE + HI];
    }

    private long lo(int slot) {
        return slots[slot * STRIDE + LO];
    }

    private boolean isListed(int slot) {
        return (listed[slot >>> 6] & (1L << slot)) != 0;
    }

    private void setListed(int slot, boolean on) {
        if (on) {
            listed[slot >>> 6] |= 1L << slot;
        } else {
            listed[slot >>> 6] &= ~(1L << slot);
        }
    }

    /**
     * The resourceVersion as a long when its text is exactly that long's decimal form (no sign, no
     * leading zero, at most 18 digits so it cannot overflow), else {@link #RV_ELSEWHERE}.
     */
    static long canonicalDecimal(String resourceVersion) {
        int length = resourceVersion.length();
        if (length == 0 || length > 18 || length > 1 && resourceVersion.charAt(0) == '0') {
            return RV_ELSEWHERE;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = resourceVersion.charAt(i);
            if (c < '0' || c > '9') {
                return RV_ELSEWHERE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A lower-case RFC 4122 text UUID as two longs. */
    record Uuid(long hi, long lo) {
        private static final char[] HEX = "0123456789abcdef".toCharArray();

        /** The uid as two longs when it is exactly a lower-case 8-4-4-4-12 hex UUID, else null. */
        static Uuid parse(String uid) {
            if (uid.length() != 36 || uid.charAt(8) != '-' || uid.charAt(13) != '-' || uid.charAt(18) != '-' || uid.charAt(23) != '-') {
                return null;
            }
            long hi = 0;
            long lo = 0;
            int digits = 0;
            for (int i = 0; i < 36; i++) {
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    continue;
                }
                char c = uid.charAt(i);
                int nibble = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (nibble < 0) {
                    return null;
                }
                if (digits++ < 16) {
                    hi = hi << 4 | nibble;
                } else {
                    lo = lo << 4 | nibble;
                }
            }
            return new Uuid(hi, lo);
        }

        static String format(long hi, long lo) {
            char[] text = new char[36];
            int at = 0;
            for (int digit = 0; digit < 32; digit++) {
                if (digit == 8 || digit == 12 || digit == 16 || digit == 20) {
                    text[at++] = '-';
                }
                long word = digit < 16 ? hi : lo;
                text[at++] = HEX[(int) (word >>> (60 - 4 * (digit % 16))) & 0xF];
            }
            return new String(text);
        }
    }
}
