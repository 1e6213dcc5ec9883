package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.Threads;
import io.jfutures.multiprocessing.internal.Serialized;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The objects that managers host in this JVM's hub, and the calls other processes make on them
 * through proxies. A call on a registered type runs on a thread of its own (its method may take a
 * while, or wait), never on the connection's reader, so that one process's slow call does not hold
 * up its lock or queue requests. A call on a built-in (dict, list, namespace, value), whose methods
 * are short and never wait, is answered by the thread that read it: a hand-off between threads
 * costs more than such a call. Its result travels back serialized, or, if it is an object of a
 * registered type, hosted in turn and sent as a reference that becomes a proxy where it arrives.
 *
 * <pre>
 * An object: LIVE -> FREED (the last process that made or called it died, or its manager shut
 * down). Its users are those processes (the hub's own JVM among them, which never dies before the
 * hub). A call on a FREED object is answered with an error that says so.
 * </pre>
 *
 * <p>Thread-safe.
 */
final class HubHosting {
  /** What a registered type is made with, and through which interface it is called. */
  private record Registration(Supplier<?> factory, Class<?> iface) {}

  private static final class Hosted {
    final Object target;
    final Class<?> type;
    final long manager;
    final Set<Peer> users = ConcurrentHashMap.newKeySet();
    final Map<String, Method> methods = new ConcurrentHashMap<>();
    final boolean builtIn;

    Hosted(Object target, Class<?> type, long manager) {
      this.target = target;
      this.type = type;
      this.manager = manager;
      this.builtIn =
          target instanceof HostedDict
              || target instanceof HostedList
              || target instanceof HostedNamespace
              || target instanceof HostedValue;
    }
  }

  private final Hub hub;
  private final Map<Long, Hosted> objects = new ConcurrentHashMap<>();
  private final Map<String, Registration> registry = new ConcurrentHashMap<>();
  private final ExecutorService calls =
      Executors.newCachedThreadPool(r -> Threads.newDaemonInRootGroup(r, "jfutures-manager-call"));

  HubHosting(Hub hub) {
    this.hub = hub;
  }

  /**
   * Registers {@code typeId}: its objects are made by {@code factory}, called via {@code iface}.
   */
  void register(String typeId, Supplier<?> factory, Class<?> iface) {
    registry.put(typeId, new Registration(factory, iface));
  }

  /**
   * Creates what the serialized {@link HostedSpec} {@code spec} asks for, for {@code manager}, and
   * answers {@code creator}'s {@code request}: VALUE with the new id (and the name of the type it
   * is called through), or ERROR. A built-in kind is made at once, on the caller's thread (the
   * connection's reader), as a built-in's calls run; a registered type's on a call thread, since
   * its factory may take a while. A manager's JVM then starts no call thread, and links no lambda,
   * for its first dict: the first {@code dict()} after a manager's start took 13-30 ms, a second
   * 2-4 (issue 17, session 31).
   */
  void create(byte[] spec, long manager, Peer creator, long request) {
    HostedSpec s;
    try {
      s = (HostedSpec) Serialized.fromBytes(spec);
    } catch (IllegalArgumentException e) {
      invalid(creator, request, manager, e);
      return;
    } catch (IOException | RuntimeException e) {
      cannotCreate(creator, request, manager, e);
      return;
    }
    if (s.kind == HostedSpec.Kind.REGISTERED) {
      calls.execute(() -> createAndAnswer(s, manager, creator, request));
    } else {
      createAndAnswer(s, manager, creator, request);
    }
  }

  private void createAndAnswer(HostedSpec s, long manager, Peer creator, long request) {
    try {
      long id = create(s, manager, creator);
      Class<?> type = typeOf(id);
      creator.send(
          Wire.VALUE,
          request,
          manager,
          id,
          type == null ? null : type.getName().getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      invalid(creator, request, manager, e);
    } catch (RuntimeException e) {
      cannotCreate(creator, request, manager, e);
    }
  }

  private static void invalid(Peer creator, long request, long manager, Exception e) {
    creator.send(
        Wire.ERROR,
        request,
        manager,
        Wire.ERROR_ARGUMENT,
        e.getMessage().getBytes(StandardCharsets.UTF_8));
  }

  private static void cannotCreate(Peer creator, long request, long manager, Exception e) {
    creator.send(
        Wire.ERROR,
        request,
        manager,
        Wire.ERROR_STATE,
        ("the manager could not create the object: " + e).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Creates what {@code spec} asks for, for {@code manager}; returns its id. A queue or
   * synchronization object is made in the hub as any other; the rest is hosted here.
   *
   * @throws IllegalArgumentException if the spec names a type nobody registered
   */
  long create(HostedSpec spec, long manager, Peer creator) {
    Object[] a = spec.args;
    switch (spec.kind) {
      case DICT:
        return host(
            new HostedDict(a.length > 0 ? (Map<?, ?>) a[0] : Map.of()),
            HostedDict.class,
            manager,
            creator);
      case LIST:
      case ARRAY:
        return host(
            new HostedList(
                a.length > 0 ? (java.util.Collection<?>) a[0] : java.util.List.of(),
                spec.kind == HostedSpec.Kind.ARRAY),
            HostedList.class,
            manager,
            creator);
      case NAMESPACE:
        return host(new HostedNamespace(), HostedNamespace.class, manager, creator);
      case VALUE:
        return host(new HostedValue(a[0]), HostedValue.class, manager, creator);
      case REGISTERED:
        {
          Registration r = registry.get(spec.typeId);
          if (r == null) {
            throw new IllegalArgumentException(
                "no type registered as '"
                    + spec.typeId
                    + "' in the manager; known: "
                    + registry.keySet()
                    + ". Register it before the manager starts");
          }
          Object made = r.factory().get();
          if (!r.iface().isInstance(made)) {
            throw new IllegalArgumentException(
                "the factory of '"
                    + spec.typeId
                    + "' made a "
                    + (made == null ? "null" : made.getClass().getName())
                    + ", which is not a "
                    + r.iface().getName());
          }
          return host(made, r.iface(), manager, creator);
        }
      case QUEUE:
        return hub.newQueue((Integer) a[0], false, HubQueue.DeadConsumerPolicy.REQUEUE);
      case JOINABLE_QUEUE:
        return hub.newQueue((Integer) a[0], true, HubQueue.DeadConsumerPolicy.REQUEUE);
      case LOCK:
      case RLOCK:
        return hub.newLock();
      case SEMAPHORE:
      case BOUNDED_SEMAPHORE:
        return hub.newSemaphore((Integer) a[0], spec.kind == HostedSpec.Kind.BOUNDED_SEMAPHORE);
      case EVENT:
        return hub.newEvent();
      case CONDITION:
        return hub.newCondition((Long) a[0]);
      case BARRIER:
        return hub.newBarrier((Integer) a[0], (Boolean) a[1]);
      default:
        throw new IllegalArgumentException("unknown kind " + spec.kind);
    }
  }

  private long host(Object target, Class<?> type, long manager, Peer creator) {
    long id = hub.newId();
    Hosted h = new Hosted(target, type, manager);
    h.users.add(creator);
    objects.put(id, h);
    return id;
  }

  /** Whether {@code id} names an object hosted here. */
  boolean hosts(long id) {
    return objects.containsKey(id);
  }

  /** How many objects managers host here now. */
  int count() {
    return objects.size();
  }

  /** The type through which hosted object {@code id} is called, or null if it is gone. */
  Class<?> typeOf(long id) {
    Hosted h = objects.get(id);
    return h == null ? null : h.type;
  }

  /**
   * Runs the serialized call {@code call} on object {@code id}, here if it is a built-in, else on a
   * call thread, and answers {@code caller}'s {@code request}: VALUE with the result's bytes (value
   * 0) or a reference to it hosted in turn (value 1), or ERROR.
   */
  void invoke(long id, byte[] call, Peer caller, long request) {
    Hosted h = objects.get(id);
    if (h == null) {
      caller.send(
          Wire.ERROR,
          request,
          id,
          Wire.ERROR_GONE,
          ("object " + id + " is gone: the manager shut down, or every process that used it ended")
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    h.users.add(caller);
    if (h.builtIn) {
      answer(h, id, call, caller, request);
    } else {
      calls.execute(() -> answer(h, id, call, caller, request));
    }
  }

  private void answer(Hosted h, long id, byte[] call, Peer caller, long request) {
    Object result;
    try {
      HostedCall c = HostedCall.fromBytes(call);
      // As in Python's manager, calls from several processes may run at once: the built-ins
      // lock themselves, and a registered type must be thread-safe.
      result = method(h, c).invoke(h.target, c.args);
    } catch (InvocationTargetException e) {
      caller.send(Wire.ERROR, request, id, Wire.ERROR_THROWN, thrown(e.getCause()));
      return;
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      caller.send(
          Wire.ERROR,
          request,
          id,
          Wire.ERROR_STATE,
          ("cannot call " + h.type.getName() + ": " + e).getBytes(StandardCharsets.UTF_8));
      return;
    }
    Registration registered = registeredFor(result);
    try {
      if (registered != null) {
        long hosted = host(result, registered.iface(), h.manager, caller);
        byte[] ref =
            Serialized.toBytes(new HostedRef(hub.ref(), hosted, registered.iface().getName()), "");
        caller.send(Wire.VALUE, request, id, 1, ref);
      } else {
        caller.send(Wire.VALUE, request, id, 0, Serialized.toBytes(result, "cannot return"));
      }
    } catch (IllegalArgumentException e) {
      caller.send(
          Wire.ERROR,
          request,
          id,
          Wire.ERROR_STATE,
          e.getMessage().getBytes(StandardCharsets.UTF_8));
    }
  }

  private Method method(Hosted h, HostedCall c) throws ReflectiveOperationException {
    String key = c.method + java.util.Arrays.toString(c.parameterTypes);
    Method m = h.methods.get(key);
    if (m == null) {
      ClassLoader loader = h.type.getClassLoader();
      Class<?>[] types = new Class<?>[c.parameterTypes.length];
      for (int i = 0; i < types.length; i++) {
        types[i] = typeNamed(c.parameterTypes[i], loader);
      }
      m = h.type.getMethod(c.method, types);
      h.methods.put(key, m);
    }
    return m;
  }

  private static Class<?> typeNamed(String name, ClassLoader loader) throws ClassNotFoundException {
    switch (name) {
      case "int":
        return int.class;
      case "long":
        return long.class;
      case "double":
        return double.class;
      case "boolean":
        return boolean.class;
      case "float":
        return float.class;
      case "short":
        return short.class;
      case "byte":
        return byte.class;
      case "char":
        return char.class;
      default:
        return Class.forName(name, false, loader);
    }
  }

  private Registration registeredFor(Object result) {
    if (result == null) {
      return null;
    }
    for (Registration r : registry.values()) {
      if (r.iface().isInstance(result)) {
        return r;
      }
    }
    return null;
  }

  private static byte[] thrown(Throwable t) {
    try {
      return Serialized.toBytes(t, "cannot send");
    } catch (IllegalArgumentException e) {
      RuntimeException stand = new RuntimeException(t.toString());
      stand.setStackTrace(t.getStackTrace());
      return Serialized.toBytes(stand, "cannot send");
    }
  }

  /** Counts {@code peer} among the users of object {@code id}, if it is still hosted. */
  void use(long id, Peer peer) {
    Hosted h = objects.get(id);
    if (h != null) {
      h.users.add(peer);
    }
  }

  /** Frees the objects of {@code manager}, which shut down. */
  void freeAll(long manager) {
    objects.values().removeIf(h -> h.manager == manager);
  }

  /** The process of {@code peer} is gone: objects that no live process made or used are freed. */
  void peerGone(Peer peer) {
    objects
        .values()
        .removeIf(
            h -> {
              h.users.remove(peer);
              return h.users.isEmpty();
            });
  }
}
