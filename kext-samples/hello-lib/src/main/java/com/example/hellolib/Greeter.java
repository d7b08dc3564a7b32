package com.example.hellolib;

import org.kextkit.kit.libkern.OSObject;

/**
 * Compose greetings for client kexts: the one class HelloLib.kext exports.
 *
 * <p>A {@code Greeter} is an {@link OSObject}, so while a client holds one the kernel counts it as
 * a live instance of this library's class and refuses to unload the library.
 */
public class Greeter extends OSObject {
    private final String salutation;
    private int greetings;

    /** Create a greeter that starts every greeting with {@code salutation}. */
    public Greeter(String salutation) {
        this.salutation = salutation;
    }

    /** Return a greeting for {@code name} and count it. */
    public String greet(String name) {
        greetings++;
        return salutation + ", " + name + "!";
    }

    /** Return how many greetings this greeter has made. */
    public int greetings() {
        return greetings;
    }
}
