package io.homestack.zigbee.simulator;

import io.homestack.bundle.test.image.ComponentImageContract;

/** The base image Jib builds this component on is the one tooling/base-image/java17.lock pins (the kit's contract). */
class BaseImagePinTest extends ComponentImageContract {
}
