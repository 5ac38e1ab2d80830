package io.kube2kafka.publish;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact uid index gives back exactly what it was given, whatever the uids and resourceVersions look like. */
class UidTableTest {

    @Test
    void uidsAndResourceVersionsThatAreNotUuidsOrDecimalsComeBackExactly() {
        UidTable table = new UidTable();
        Map<String, UidTable.Held> given = new HashMap<>();
        String[][] odd = {
                {"6F9619FF-8B86-D011-B42D-00C04FC964FF", "12"},      // upper case: text would change if kept as two longs
                {"6f9619ff8b86d011b42d00c04fc964ff", "13"},          // no dashes
                {"6f9619ff-8b86-d011-b42d-00c04fc964fg", "14"},      // not hex
                {"pod-a", "007"},                                     // leading zeros
                {"", "0"},
                {"7c9e6679-7425-40de-944b-e07fc1f90ae7", "0"},
                {"7c9e6679-7425-40de-944b-e07fc1f90ae8", "007"},
                {"7c9e6679-7425-40de-944b-e07fc1f90ae9", "-5"},
                {"7c9e6679-7425-40de-944b-e07fc1f90aea", "9223372036854775807"},   // 19 digits
                {"7c9e6679-7425-40de-944b-e07fc1f90aeb", "99999999999999999999"},  // beyond a long
                {"7c9e6679-7425-40de-944b-e07fc1f90aec", "abc/123"},
                {"7c9e6679-7425-40de-944b-e07fc1f90aed", ""},
                {"7c9e6679-7425-40de-944b-e07fc1f90aee", "999999999999999999"},    // 18 digits, kept as a long
                {"00000000-0000-0000-0000-000000000000", "1"},
                {"ffffffff-ffff-ffff-ffff-ffffffffffff", "2"},
        };
        int partition = 0;
        for (String[] entry : odd) {
            given.put(entry[0], new UidTable.Held(entry[1], partition % 3, 1000L * partition));
            table.put(entry[0], entry[1], partition % 3, 1000L * partition);
            partition++;
        }
        // Positions beyond the packed range go beside the arrays.
        given.put("7c9e6679-7425-40de-944b-e07fc1f90aef", new UidTable.Held("5", 70_000, Long.MAX_VALUE));
        table.put("7c9e6679-7425-40de-944b-e07fc1f90aef", "5", 70_000, Long.MAX_VALUE);
        given.put("7c9e6679-7425-40de-944b-e07fc1f90af0", new UidTable.Held("6", 3, 1L << 48));
        table.put("7c9e6679-7425-40de-944b-e07fc1f90af0", "6", 3, 1L << 48);

        assertEquals(given.size(), table.size());
        given.forEach((uid, held) -> assertEquals(held, table.get(uid), uid));
        table.clearListed();
        assertEquals(given.keySet(), new HashSet<>(table.unlisted()), "every uid, spelled as given");

        // Overwriting with compact values forgets what was kept beside the arrays, and the other way round.
        table.put("7c9e6679-7425-40de-944b-e07fc1f90ae8", "8", 1, 2);
        table.put("7c9e6679-7425-40de-944b-e07fc1f90aee", "0x10", 1, 3);
        assertEquals(new UidTable.Held("8", 1, 2), table.get("7c9e6679-7425-40de-944b-e07fc1f90ae8"));
        assertEquals(new UidTable.Held("0x10", 1, 3), table.get("7c9e6679-7425-40de-944b-e07fc1f90aee"));
        assertTrue(table.remove("pod-a"));
        assertNull(table.get("pod-a"));
        assertFalse(table.remove("pod-a"));
    }

    @Test
    void uidsThatShareAProbePathAreFoundAfterRemovalsAndReinsertions() {
        UidTable table = new UidTable(64);
        List<String> colliding = collidingUids(table, 4);
        for (int i = 0; i < colliding.size(); i++) {
            table.put(colliding.get(i), Integer.toString(10 + i), 0, i);
        }
        assertTrue(table.remove(colliding.get(1)), "the second on the path");
        assertNull(table.get(colliding.get(1)));
        assertEquals("12", table.resourceVersionOf(colliding.get(2)), "found past the removed slot");
        assertEquals("13", table.resourceVersionOf(colliding.get(3)), "found past the removed slot");
        table.put(colliding.get(3), "23", 0, 33);
        assertEquals(3, table.size(), "an update of the last on the path is no new entry");
        table.put(colliding.get(1), "21", 0, 11);
        assertEquals(4, table.size());
        assertEquals(new UidTable.Held("21", 0, 11), table.get(colliding.get(1)));
        assertEquals(new UidTable.Held("23", 0, 33), table.get(colliding.get(3)));
        table.clearListed();
        table.markListed(colliding.get(0));
        table.markListed(colliding.get(2));
        assertEquals(Set.of(colliding.get(1), colliding.get(3)), new HashSet<>(table.unlisted()));
    }

    @Test
    void growsAndChurnsAgainstAHashMapOfTheSameOperations() {
        UidTable table = new UidTable(16);
        Map<String, UidTable.Held> expected = new HashMap<>();
        List<String> uids = new ArrayList<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            int choice = random.nextInt(10);
            if (choice < 6 || uids.isEmpty()) {
                String uid = new UUID(random.nextLong(), random.nextLong()).toString();
                uids.add(uid);
                UidTable.Held held = new UidTable.Held(Integer.toString(random.nextInt(Integer.MAX_VALUE)), random.nextInt(6), step);
                table.put(uid, held.resourceVersion(), held.partition(), held.offset());
                expected.put(uid, held);
            } else if (choice < 8) {
                String uid = uids.get(random.nextInt(uids.size()));
                UidTable.Held held = new UidTable.Held(Integer.toString(step), random.nextInt(6), step);
                table.put(uid, held.resourceVersion(), held.partition(), held.offset());
                expected.put(uid, held);
            } else {
                String uid = uids.remove(random.nextInt(uids.size()));
                assertEquals(expected.remove(uid) != null, table.remove(uid), uid);
            }
        }
        assertEquals(expected.size(), table.size());
        expected.forEach((uid, held) -> assertEquals(held, table.get(uid), uid));
        table.clearListed();
        assertEquals(expected.keySet(), new HashSet<>(table.unlisted()));
        assertTrue(table.footprintBytes() <= 64L * table.size(), table.footprintBytes() / table.size() + " bytes per object");
    }

    @Test
    void onlyWhatAListLackedIsUnlistedAndWhatIsWrittenDuringTheListCountsAsListed() {
        UidTable table = new UidTable();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String uid = new UUID(i, 7 * i + 1).toString();
            held.add(uid);
            table.put(uid, Integer.toString(i), 0, i);
        }
        table.put("not-a-uuid", "1", 0, 5000);
        table.clearListed();
        Set<String> lacked = new HashSet<>();
        for (int i = 0; i < held.size(); i++) {
            if (i % 10 == 3) {
                lacked.add(held.get(i));
            } else {
                assertEquals(Integer.toString(i), table.markListed(held.get(i)));
            }
        }
        lacked.add("not-a-uuid");
        assertNull(table.markListed(new UUID(-1, -1).toString()), "a new object is not held");
        table.put(new UUID(-1, -1).toString(), "9", 1, 1);
        table.put(held.get(5), "10", 1, 2);
        assertEquals(lacked, new HashSet<>(table.unlisted()));
    }

    @Test
    void whatAListLackedComesInTheOrderOfItsRecordsSoTheirLastStatesAreReadInOnePass() {
        UidTable table = new UidTable();
        List<UidTable.Held> positions = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            for (long offset = 0; offset < 2000; offset += 7) {
                positions.add(new UidTable.Held("1", partition, offset));
            }
        }
        java.util.Collections.shuffle(positions, new Random(3));
        Map<String, UidTable.Held> byUid = new HashMap<>();
        for (int i = 0; i < positions.size(); i++) {
            String uid = new UUID(i * 31L, i).toString();
            table.put(uid, "1", positions.get(i).partition(), positions.get(i).offset());
            byUid.put(uid, positions.get(i));
        }
        table.clearListed();
        List<UidTable.Held> order = table.unlisted().stream().map(byUid::get).toList();
        List<UidTable.Held> sorted = new ArrayList<>(order);
        sorted.sort(java.util.Comparator.comparingInt(UidTable.Held::partition).thenComparingLong(UidTable.Held::offset));
        assertEquals(positions.size(), order.size());
        assertEquals(sorted, order);
    }

    /** count uids whose probe paths start at the same slot. */
    private static List<String> collidingUids(UidTable table, int count) {
        Map<Integer, List<String>> bySlot = new HashMap<>();
        Random random = new Random(1);
        while (true) {
            String uid = new UUID(random.nextLong(), random.nextLong()).toString();
            List<String> same = bySlot.computeIfAbsent(table.homeSlot(uid), slot -> new ArrayList<>());
            same.add(uid);
            if (same.size() == count) {
                return same;
            }
        }
    }
}
