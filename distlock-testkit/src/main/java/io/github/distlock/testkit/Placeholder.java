package io.github.distlock.testkit; final class Placeholder {}
