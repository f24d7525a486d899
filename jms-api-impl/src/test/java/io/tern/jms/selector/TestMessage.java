package io.tern.jms.selector;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A message for selector tests: header values and properties in maps; records which properties were read. */
final class TestMessage implements SelectorContext {
    private final Map<SelectorHeader, Object> headers = new EnumMap<>(SelectorHeader.class);
    private final Map<String, Object> properties = new HashMap<>();
    final List<String> propertiesRead = new ArrayList<>();

    static TestMessage message() {
        return new TestMessage();
    }

    TestMessage with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    TestMessage header(SelectorHeader field, Object value) {
        headers.put(field, value);
        return this;
    }

    @Override
    public Object header(SelectorHeader field) {
        return headers.get(field);
    }

    @Override
    public Object property(String name) {
        propertiesRead.add(name);
        return properties.get(name);
    }
}
