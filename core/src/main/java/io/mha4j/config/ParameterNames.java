package io.mha4j.config;

import java.util.Comparator;

/** Suggests the parameter a user probably meant when a name is unknown. */
final class ParameterNames {
    private ParameterNames() {}

    /** " (did you mean 'password'?)" for "pasword", or "" when nothing is close. */
    static String suggestionFor(String unknown) {
        return Parameter.all().stream()
                .map(Parameter::name)
                .filter(name -> distance(unknown, name) <= Math.max(2, name.length() / 4))
                .min(Comparator.comparingInt(name -> distance(unknown, name)))
                .map(name -> " (did you mean '" + name + "'?)")
                .orElse("; MHA 0.58 rejects parameters it does not know");
    }

    /** Levenshtein distance; parameter names are short, so the quadratic table is fine. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
