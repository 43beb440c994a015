package io.homestack.bundle.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test (method) or every test of the class needs these capabilities: on a cluster without one it is skipped
 * before it starts, with the reason, e.g. {@code needs running containers; envtest has none (run with
 * -Dhomestack.cluster=k3s or kubeconfig)}. Cluster assertions check their own capability as well.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresCapability {

    Capability[] value();
}
