package io.homestack.bundle.validate;

import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;
import io.homestack.bundle.model.ImageReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every image has an explicit version: never latest, never untagged. */
final class ImagePinned implements Rule {

    @Override
    public String id() {
        return "image-pinned";
    }

    @Override
    public List<String> check(KubeObject object, List<KubeObject> all) {
        Map<String, Object> spec = PodSpecs.of(object);
        if (spec == null) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> c : PodSpecs.allContainers(spec)) {
            String problem = ImageReference.problem(KubeObject.string(c.get("image")));
            if (problem != null) {
                problems.add("container '" + c.get("name") + "' image " + problem);
            }
        }
        return problems;
    }
}
