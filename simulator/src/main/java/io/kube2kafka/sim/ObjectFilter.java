package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A labelSelector plus a fieldSelector, parsed once per request. Supports the equality forms
 * ({@code k=v}, {@code k==v}, {@code k!=v}), existence ({@code k}, {@code !k}) and the set forms
 * ({@code k in (a,b)}, {@code k notin (a,b)}); fields are limited to metadata.name and
 * metadata.namespace, which every resource supports on a real server.
 */
final class ObjectFilter implements Predicate<JsonNode> {
  static final ObjectFilter ALL = new ObjectFilter(List.of(), false);

  private final List<Predicate<JsonNode>> terms;
  private final boolean selective;

  private ObjectFilter(List<Predicate<JsonNode>> terms, boolean selective) {
    this.terms = terms;
    this.selective = selective;
  }

  /** @throws IllegalArgumentException with a message fit for a 400 BadRequest Status */
  static ObjectFilter parse(String labelSelector, String fieldSelector) {
    List<Predicate<JsonNode>> terms = new ArrayList<>();
    for (String term : splitTerms(labelSelector)) {
      terms.add(labelTerm(term));
    }
    for (String term : splitTerms(fieldSelector)) {
      terms.add(fieldTerm(term));
    }
    return new ObjectFilter(List.copyOf(terms), !terms.isEmpty());
  }

  /** Whether any selector was given; real lists omit remainingItemCount then. */
  boolean selective() {
    return selective;
  }

  @Override
  public boolean test(JsonNode object) {
    return terms.stream().allMatch(t -> t.test(object));
  }

  /** Commas separate terms, except inside the parentheses of a set. */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return terms;
    }
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (c == ',' && depth == 0) {
        terms.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    terms.add(current.toString().trim());
    return terms;
  }

  private static Predicate<JsonNode> labelTerm(String term) {
    String[] words = term.split("\\s+", 2);
    if (words.length == 2 && words[1].matches("(in|notin)\\s*\\(.*\\)")) {
      boolean in = words[1].startsWith("in");
      String inside = words[1].substring(words[1].indexOf('(') + 1, words[1].lastIndexOf(')'));
      Set<String> values = Set.of(inside.trim().split("\\s*,\\s*"));
      String key = words[0];
      return o -> {
        JsonNode value = label(o, key);
        return in ? value != null && values.contains(value.asText()) : value == null || !values.contains(value.asText());
      };
    }
    String[] kv = equality(term, "label selector");
    if (kv == null) {
      String key = term.startsWith("!") ? term.substring(1) : term;
      requireKey(key, term);
      return term.startsWith("!") ? o -> label(o, key) == null : o -> label(o, key) != null;
    }
    String key = kv[0];
    String expected = kv[1];
    boolean negate = kv[2] != null;
    return o -> {
      JsonNode value = label(o, key);
      boolean equal = value != null && value.asText().equals(expected);
      return negate != equal;
    };
  }

  private static Predicate<JsonNode> fieldTerm(String term) {
    String[] kv = equality(term, "field selector");
    if (kv == null) {
      throw new IllegalArgumentException("invalid selector: '" + term + "'; can't understand '" + term + "'");
    }
    String field = kv[0];
    if (!field.equals("metadata.name") && !field.equals("metadata.namespace")) {
      throw new IllegalArgumentException("field label not supported: " + field);
    }
    String name = field.substring("metadata.".length());
    boolean negate = kv[2] != null;
    return o -> negate != o.path("metadata").path(name).asText("").equals(kv[1]);
  }

  /** {key, value, non-null when "!="} or null when the term has no operator. */
  private static String[] equality(String term, String what) {
    String[] ops = {"!=", "==", "="};
    for (String op : ops) {
      int at = term.indexOf(op);
      if (at >= 0) {
        String key = term.substring(0, at).trim();
        requireKey(key, term);
        return new String[] {key, term.substring(at + op.length()).trim(), op.equals("!=") ? "!" : null};
      }
    }
    return null;
  }

  private static void requireKey(String key, String term) {
    if (key.isEmpty() || !key.matches("[A-Za-z0-9._/-]+")) {
      throw new IllegalArgumentException("unable to parse requirement: invalid label key \"" + key + "\" in '" + term + "'");
    }
  }

  private static JsonNode label(JsonNode object, String key) {
    JsonNode value = object.path("metadata").path("labels").get(key);
    return value == null || value.isNull() ? null : value;
  }
}
