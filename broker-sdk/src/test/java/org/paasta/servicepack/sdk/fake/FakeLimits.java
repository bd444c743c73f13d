package org.paasta.servicepack.sdk.fake;

public record FakeLimits(int size) {
}
