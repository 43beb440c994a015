package io.homestack.bundle.model;

/** Checks that an image reference is pinned: an explicit tag other than {@code latest}, or a digest. */
public final class ImageReference {

    private ImageReference() {
    }

    /** @return null when pinned, else what is wrong, phrased to follow the image in a message */
    public static String problem(String image) {
        if (image == null || image.isBlank()) {
            return "is empty";
        }
        if (image.contains("@sha256:")) {
            return null;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return "'" + image + "' has no tag (pin a version or a digest)";
        }
        String tag = image.substring(colon + 1);
        if (tag.equals("latest")) {
            return "'" + image + "' uses 'latest' (pin a version or a digest)";
        }
        return null;
    }
}
