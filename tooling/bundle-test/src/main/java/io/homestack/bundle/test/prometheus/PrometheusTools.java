package io.homestack.bundle.test.prometheus;

import io.homestack.testsupport.CountedSkips;

/**
 * {@code @ExtendWith(PrometheusTools.class)}: when a class's {@code @BeforeAll} finds promtool or prometheus missing
 * ({@link PrometheusBinaries}, outside CI), each of its tests is counted as skipped with the reason instead of the
 * class vanishing as "Tests run: 0".
 */
public final class PrometheusTools implements CountedSkips {
}
