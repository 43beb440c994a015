package io.homestack.bundle.test.prometheus;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticSeriesTest {

    @Test
    void expandsPromtoolNotationEndingAtTheGivenTime() {
        SyntheticSeries s = SyntheticSeries.parse("""
                interval: 30s
                series:
                  - series: 'up{job="a"}'
                    values: '1x2'
                  - series: 'requests_total{code="500", pod="p"}'
                    values: '0+10x1 _ 25 5-1x1'
                  - series: 'up{job="b"}'
                    values: '0'
                """, "series.yaml");

        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.span()).isEqualTo(Duration.ofSeconds(150));
        // one family after the other (both `up` series together), each series in time order, none for `_`
        assertThat(s.openMetrics(1000)).isEqualTo("""
                up{job="a"} 1 940
                up{job="a"} 1 970
                up{job="a"} 1 1000
                up{job="b"} 0 1000
                requests_total{code="500",pod="p"} 0 850
                requests_total{code="500",pod="p"} 10 880
                requests_total{code="500",pod="p"} 25 940
                requests_total{code="500",pod="p"} 5 970
                requests_total{code="500",pod="p"} 4 1000
                # EOF
                """);
    }

    @Test
    void badInputNamesTheFileAndTheSeries() {
        assertThatThrownBy(() -> SyntheticSeries.parse("series:\n  - series: 'up{job=a}'\n    values: '1'\n", "s.yaml"))
                .hasMessageContaining("s.yaml").hasMessageContaining("up{job=a}");
        assertThatThrownBy(() -> SyntheticSeries.parse("series:\n  - series: 'up'\n    values: '1+x3'\n", "s.yaml"))
                .hasMessageContaining("s.yaml: series up: '1+x3' is not");
    }
}
