package org.mustjava.core.config;

/** What a binding sets: parameter {@code param} of configurable {@code configurable} (full name) in {@code scope} ("" = root). */
record BindingKey(String scope, String configurable, String param) {}
