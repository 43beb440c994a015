package io.homestack.bundle.test.internal;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a live object holds every field of its rendered form with the same value: the server-side check that what a
 * bundle renders is what the API server stores. The live object may have more (defaults, status, managedFields, the
 * annotations and labels that Argo CD and controllers add); it may not lack or change a rendered field. Values are
 * compared as the API server normalises them: numbers by value, resource quantities by amount ("0.5" equals "500m"),
 * lists element by element in order (every list the stack renders is ordered or merged by key in the same order).
 */
public final class RenderedFields {

    private RenderedFields() {
    }

    /** Every difference, as "path: rendered X, live Y"; empty when the live object holds the render. */
    public static List<String> differences(Map<String, Object> rendered, Map<String, Object> live) {
        List<String> out = new ArrayList<>();
        compare("", rendered, live, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void compare(String path, Object rendered, Object live, List<String> out) {
        if (rendered instanceof Map<?, ?> r) {
            if (!(live instanceof Map<?, ?> l)) {
                out.add(path + ": rendered a map, live " + describe(live));
                return;
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) r).entrySet()) {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (!l.containsKey(e.getKey())) {
                    if (!emptyValue(e.getValue())) {
                        out.add(child + ": rendered " + describe(e.getValue()) + ", live has none");
                    }
                } else {
                    compare(child, e.getValue(), l.get(e.getKey()), out);
                }
            }
        } else if (rendered instanceof List<?> r) {
            if (!(live instanceof List<?> l) || l.size() != r.size()) {
                out.add(path + ": rendered " + describe(rendered) + ", live " + describe(live));
                return;
            }
            for (int i = 0; i < r.size(); i++) {
                compare(path + "[" + i + "]", r.get(i), l.get(i), out);
            }
        } else if (!scalarEquals(rendered, live)) {
            out.add(path + ": rendered " + describe(rendered) + ", live " + describe(live));
        }
    }

    /** The API server drops empty maps, lists and nulls; rendering one is not a difference. */
    private static boolean emptyValue(Object v) {
        return v == null || v instanceof Map<?, ?> m && m.isEmpty() || v instanceof List<?> l && l.isEmpty();
    }

    private static boolean scalarEquals(Object rendered, Object live) {
        if (Objects.equals(rendered, live)) {
            return true;
        }
        if (rendered instanceof Number a && live instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (rendered != null && live != null && (rendered instanceof String || rendered instanceof Number)
                && live instanceof String) {
            return sameQuantity(rendered.toString(), (String) live);
        }
        return false;
    }

    private static boolean sameQuantity(String a, String b) {
        try {
            return Quantity.getAmountInBytes(new Quantity(a)).compareTo(Quantity.getAmountInBytes(new Quantity(b))) == 0;
        } catch (RuntimeException notQuantities) {
            return false;
        }
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
