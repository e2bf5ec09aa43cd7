package io.github.distlock; final class Placeholder {}
