package io.mha4j.samples.cli;

public final class Mha4jCommand {
    public static void main(String[] args) {}
}
