package io.homestack.bundle.render;

import io.homestack.bundle.BundleException;
import io.homestack.bundle.k8s.KubeObject;
import io.homestack.bundle.k8s.PodSpecs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pins the images this repository builds (Java components, docs/decisions.md "Java component images with Jib") to the
 * digest the build gave them. A bundle's manifests name such an image as a repository without tag or digest whose
 * last element is the component's name ({@code registry.localhost:5111/homestack/zigbee-simulator}); the render
 * appends {@code @<digest>}. The digests come from the component's image manifest, which the bundle depends on, so the
 * YAML never holds a digest that the next change of the component's code would make stale.
 */
public final class ComponentImages {

    /**
     * An image built in this repository.
     *
     * @param name   the component's name, the last element of its repository
     * @param digest its manifest digest, {@code sha256:<hex>}
     * @param source where the digest comes from, for messages (the manifest file)
     */
    public record Built(String name, String digest, String source) {
    }

    private ComponentImages() {
    }

    /**
     * Pins every container of {@code rendered} that runs one of {@code built}, in place.
     *
     * @throws BundleException naming the file, the object and the container when a built image carries a tag, or
     *                         naming the component when no container runs it (a dependency that pins nothing)
     */
    public static void pin(RenderedBundle rendered, List<Built> built) {
        Set<String> used = new HashSet<>();
        String bundle = rendered.bundle().name();
        rendered.environments().forEach((env, objects) -> {
            for (KubeObject object : objects) {
                Map<String, Object> spec = PodSpecs.of(object);
                if (spec == null) {
                    continue;
                }
                for (Map<String, Object> container : PodSpecs.allContainers(spec)) {
                    String image = KubeObject.string(container.get("image"));
                    Built component = image == null || image.contains("@") ? null : find(built, repository(image));
                    if (component == null) {
                        continue;
                    }
                    if (!repository(image).equals(image)) {
                        throw new BundleException("[" + bundle + "] " + object.source() + ": " + object.describe()
                                + " container '" + container.get("name") + "' runs " + image + ", a tag of the image"
                                + " this repository builds (" + component.name() + "); write " + repository(image)
                                + " without a tag: the build pins it to the digest it built");
                    }
                    container.put("image", image + "@" + component.digest());
                    used.add(component.name());
                }
            }
        });
        List<String> unused = new ArrayList<>();
        built.stream().map(Built::name).filter(n -> !used.contains(n)).sorted().forEach(unused::add);
        if (!unused.isEmpty()) {
            throw new BundleException("[" + bundle + "] depends on the component image(s) " + unused + " but no"
                    + " container runs them (as <registry>/<path>/<name>, no tag); drop the dependency or run the image");
        }
    }

    private static Built find(List<Built> built, String repository) {
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        return built.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    /** The image without its tag (a colon after the last slash). */
    private static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }
}
