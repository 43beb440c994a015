package io.homestack.testsupport;

/**
 * {@code @ExtendWith(SkipsCounted.class)} on a test class whose {@code @BeforeAll} locates a test tool: when the tool is
 * missing (outside CI), each of its tests is counted as skipped with the reason instead of the class vanishing from
 * the reports as "Tests run: 0" ({@link CountedSkips}).
 */
public final class SkipsCounted implements CountedSkips {
}
