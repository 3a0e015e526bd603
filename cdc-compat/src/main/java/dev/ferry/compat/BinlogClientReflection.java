package dev.ferry.compat;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reaching Flink CDC's binlog client and the binlog library's types for the workarounds that act on the client:
 * private upstream fields by reflection, and library interfaces through proxies made in the client's own class loader
 * (on a Flink cluster the connector may come from Flink's lib/ and the library from the job jar; a direct reference
 * then fails with a LinkageError). No upstream code is copied.
 */
public final class BinlogClientReflection {
    /** The binlog library's package, as the connector jar holds it. */
    public static final String LIBRARY = "com.github.shyiko.mysql.binlog.";

    private BinlogClientReflection() {}

    /** The value of field {@code name}, declared by {@code type} or a class above it. */
    public static Object field(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new NoSuchFieldException("Flink CDC changed: " + type.getName() + " has no field '" + name + "'");
    }

    /** Sets field {@code name}, declared by {@code type}. */
    public static void setField(Class<?> type, String name, Object target, Object value)
            throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** Calls a method without arguments that {@code type} declares, also a private one. */
    public static Object callDeclared(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        var method = type.getDeclaredMethod(name);
        method.setAccessible(true);
        return method.invoke(target);
    }

    /** The binlog client of one of Flink CDC's split readers (binlog or snapshot), or null if it has none yet. */
    public static Object binlogClientOf(Object splitReader) throws ReflectiveOperationException {
        Object context = field(splitReader.getClass(), "statefulTaskContext", splitReader);
        return context == null ? null : context.getClass().getMethod("getBinaryLogClient").invoke(context);
    }

    /** Per class: the public method a public type of it declares, by name and arity (see {@link #callPublic}). */
    private static final ClassValue<Map<String, Method>> PUBLIC_METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /**
     * Calls public method {@code name} of {@code target} as a public class or interface of it declares it: a
     * lambda's or a private class's own method cannot be called by reflection from outside its package. Workarounds
     * reach Debezium's objects this way, never through its types: Flink CDC may come from Flink's lib/ (parent-first)
     * and Debezium from the job jar, and a direct reference then fails with a LinkageError. The method found is kept
     * per class: a guard calls this for every TABLE_MAP event.
     */
    public static Object callPublic(Object target, String name, Object... args) throws ReflectiveOperationException {
        Map<String, Method> known = PUBLIC_METHODS.get(target.getClass());
        String key = name + "/" + args.length;
        Method method = known.get(key);
        if (method == null) {
            method = findPublic(target.getClass(), name, args.length);
            known.put(key, method);
        }
        return method.invoke(target, args);
    }

    private static Method findPublic(Class<?> of, String name, int arity) throws NoSuchMethodException {
        Deque<Class<?>> types = new ArrayDeque<>();
        types.add(of);
        while (!types.isEmpty()) {
            Class<?> type = types.poll();
            if (Modifier.isPublic(type.getModifiers())) {
                for (Method m : type.getMethods()) {
                    if (m.getName().equals(name) && m.getParameterCount() == arity) {
                        return m;
                    }
                }
            }
            if (type.getSuperclass() != null) {
                types.add(type.getSuperclass());
            }
            types.addAll(List.of(type.getInterfaces()));
        }
        throw new NoSuchMethodException("Flink CDC changed: " + of.getName() + " has no public method '" + name
                + "' with " + arity + " argument(s)");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    /** The one method of a library interface that a proxy implements. */
    public interface Call {
        Object run(Object[] args) throws Exception;
    }

    /**
     * A proxy of library interface {@code type} whose method {@code method} runs {@code call}; other methods of the
     * interface do nothing (and return null), so listeners need only the callback they use.
     *
     * @param label names the workaround in the proxy's {@code toString()}
     */
    public static Object proxy(ClassLoader loader, Class<?> type, String method, String label, Call call) {
        InvocationHandler handler = (self, m, args) -> switch (m.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            case "toString" -> "Ferry's " + type.getSimpleName() + " (" + label + ")";
            default -> m.getName().equals(method) ? run(call, args) : null;
        };
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
    }

    /** What an event listener does with one event, given the binlog file the client reads. */
    public interface EventCallback {
        void onEvent(String binlogFile, Object event) throws ReflectiveOperationException;
    }

    /**
     * Registers a listener of every event {@code client} reads. No failure of {@code callback} reaches the client:
     * the library logs an Exception from a listener and reads on, but an Error (a LinkageError, when the connector
     * and Ferry's classes come from different class loaders) ends the client's reading thread, and the reader then
     * waits for ever without a word (seen on a cluster with the connector in its class path, CliSubmitITCase). A
     * callback that failed is handed to {@code broken} once and not called again.
     */
    public static void listen(Object client, String label, EventCallback callback, Consumer<Throwable> broken)
            throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> listener = Class.forName(LIBRARY + "BinaryLogClient$EventListener", false, loader);
        Method binlogFile = client.getClass().getMethod("getBinlogFilename");
        AtomicBoolean failed = new AtomicBoolean();
        Object onEvent = proxy(loader, listener, "onEvent", label, args -> {
            if (!failed.get()) {
                try {
                    callback.onEvent((String) binlogFile.invoke(client), args[0]);
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    failed.set(true);
                    broken.accept(e);
                }
            }
            return null;
        });
        client.getClass().getMethod("registerEventListener", listener).invoke(client, onEvent);
    }

    /** What a wrapping deserializer does with one event's input stream, given the deserializer it wraps. */
    public interface EventDataWrapper {
        Object deserialize(Object input, Call upstream) throws Exception;
    }

    /**
     * Replaces the client's current deserializer of one event type's data ({@code TABLE_MAP}, {@code QUERY}, ...) by
     * one that runs {@code wrap} around it; nothing if it is already wrapped with {@code label} (the client keeps its
     * event deserializer across reconnections) or there is none. Returns the event deserializer, or null if nothing
     * changed.
     */
    public static Object wrapEventData(Object client, String eventType, String label, EventDataWrapper wrap)
            throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> types = Class.forName(LIBRARY + "event.EventType", false, loader);
        Class<?> dataReader = Class.forName(LIBRARY + "event.deserialization.EventDataDeserializer", false, loader);
        Class<?> stream = Class.forName(LIBRARY + "io.ByteArrayInputStream", false, loader);
        Class<?> deserializer = Class.forName(LIBRARY + "event.deserialization.EventDeserializer", false, loader);
        Object type = enumConstant(types, eventType);
        Object events = field(client.getClass(), "eventDeserializer", client);
        Object upstream = deserializer.getMethod("getEventDataDeserializer", types).invoke(events, type);
        if (upstream == null || isProxy(upstream, label)) {
            return null;
        }
        var deserialize = dataReader.getMethod("deserialize", stream);
        Object wrapped = proxy(loader, dataReader, "deserialize", label,
                args -> wrap.deserialize(args[0], in -> deserialize.invoke(upstream, in[0])));
        deserializer.getMethod("setEventDataDeserializer", types, dataReader).invoke(events, type, wrapped);
        return events;
    }

    /** Whether {@code object} is a proxy this class made with {@code label}. */
    public static boolean isProxy(Object object, String label) {
        return object != null && Proxy.isProxyClass(object.getClass()) && object.toString().endsWith("(" + label + ")");
    }

    private static Object run(Call call, Object[] args) throws Throwable {
        try {
            return call.run(args);
        } catch (InvocationTargetException e) { // what the library method itself threw, e.g. an IOException
            throw e.getCause();
        }
    }
}
