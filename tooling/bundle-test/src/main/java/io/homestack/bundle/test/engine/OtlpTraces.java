package io.homestack.bundle.test.engine;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.util.concurrent.TimeUnit;

/** Sends traces over OTLP/gRPC with the OpenTelemetry Java SDK, as an instrumented app (or Istio's proxy) does. */
public final class OtlpTraces {

    private OtlpTraces() {
    }

    /**
     * Sends one span of {@code service} to the OTLP/gRPC {@code endpoint} (http://host:port) and waits until the
     * receiver acknowledged it.
     *
     * @return the trace id (32 lower-case hex digits)
     */
    public static String sendSpan(String endpoint, String service, String spanName) {
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint)
                .setTimeout(10, TimeUnit.SECONDS).build();
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        try {
            Span span = provider.get("homestack-tests").spanBuilder(spanName).startSpan();
            String traceId = span.getSpanContext().getTraceId();
            span.end();
            CompletableResultCode flushed = provider.forceFlush().join(20, TimeUnit.SECONDS);
            if (!flushed.isSuccess()) {
                throw new IllegalStateException("OTLP export of span " + spanName + " to " + endpoint + " failed"
                        + (flushed.getFailureThrowable() == null ? "" : ": " + flushed.getFailureThrowable()));
            }
            return traceId;
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
