package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.Scopes;
import io.homestack.bundle.render.ObjectFiles;

import java.util.ArrayList;
import java.util.List;

/**
 * Every object names its apiVersion, kind and name (each safe as part of a file name), and a namespace exactly when
 * its kind is namespaced.
 */
final class Structure implements Rule {

    @Override
    public String id() {
        return "structure";
    }

    @Override
    public boolean optOutAllowed() {
        return false;
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        List<String> problems = new ArrayList<>();
        if (blank(object.apiVersion())) {
            problems.add("apiVersion is missing");
        }
        if (blank(object.kind())) {
            problems.add("kind is missing");
        }
        if (blank(object.name())) {
            problems.add("metadata.name is missing");
        }
        String unsafe = ObjectFiles.problem(object);
        if (unsafe != null) {
            problems.add(unsafe);
        }
        if (!blank(object.kind())) {
            boolean clusterScoped = Scopes.isClusterScoped(object.kind());
            if (!clusterScoped && blank(object.namespace())) {
                problems.add("metadata.namespace is missing (" + object.kind() + " is namespaced)");
            }
            if (clusterScoped && !blank(object.namespace())) {
                problems.add("metadata.namespace is set but " + object.kind() + " is cluster-scoped");
            }
        }
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
