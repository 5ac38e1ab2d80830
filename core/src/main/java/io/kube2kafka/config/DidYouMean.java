package io.kube2kafka.config;

import java.util.Set;

/** Names the known key nearest to a misspelt one, so an unknown-key problem also says what was probably meant. */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** " (did you mean K?)" for the nearest known key within three edits, else "" (a wild guess would mislead). */
    static String suggestion(String path, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(path, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
    }

    /**
     * Levenshtein distance, for "did you mean" suggestions. Public because it also names the nearest
     * producer setting for a kafka.producer typo (publish's ProducerSettingsCheck).
     */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
