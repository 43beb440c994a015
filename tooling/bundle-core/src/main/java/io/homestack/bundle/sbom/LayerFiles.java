package io.homestack.bundle.sbom;

import io.homestack.bundle.BundleException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The regular files of an artifact's layer (a gzipped tar), by path without "./", in path order. */
final class LayerFiles {

    /** Artifacts hold YAML and JSON; a larger layer is not one of ours. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private LayerFiles() {
    }

    static SortedMap<String, byte[]> read(Path layer) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (InputStream in = Files.newInputStream(layer);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (!e.isFile()) {
                    continue;
                }
                total += e.getSize();
                if (total > MAX_BYTES) {
                    throw new BundleException(layer + ": more than " + MAX_BYTES + " bytes of files; not an artifact"
                            + " homestack built");
                }
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                files.put(name, tar.readAllBytes());
            }
        } catch (IOException e) {
            throw new BundleException("cannot read the layer " + layer + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableSortedMap(files);
    }
}
