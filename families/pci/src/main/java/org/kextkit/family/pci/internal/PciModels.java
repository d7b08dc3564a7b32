package org.kextkit.family.pci.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.function.Supplier;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.hardware.pci.models.NicDevice;

/**
 * Turn a machine file's {@code Model} into a device model: a built-in name ({@code echo-dma},
 * {@code nic}) or the fully qualified name of a {@link PciDeviceModel} subclass with a public
 * no-argument constructor on the class path.
 */
public final class PciModels {
    /** The built-in models by name. */
    public static final Map<String, Supplier<PciDeviceModel>> BUILT_IN = Map.of(
            "echo-dma", EchoDmaDevice::new,
            "nic", NicDevice::new);

    private PciModels() {
    }

    /**
     * Create the model named {@code name}.
     *
     * @param loader where to look for a class name
     * @throws IllegalArgumentException with a message saying what was expected, if the name is unknown
     *     or the class unusable
     */
    public static PciDeviceModel create(String name, ClassLoader loader) {
        Supplier<PciDeviceModel> builtIn = BUILT_IN.get(name);
        if (builtIn != null) {
            return builtIn.get();
        }
        if (!name.contains(".")) {
            throw new IllegalArgumentException("'" + name + "' is not a built-in model (expected one of "
                    + new java.util.TreeSet<>(BUILT_IN.keySet()) + " or the fully qualified name of a PciDeviceModel subclass)");
        }
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class " + name + " is not on the class path (expected a built-in model "
                    + new java.util.TreeSet<>(BUILT_IN.keySet()) + " or a PciDeviceModel subclass on the class path)");
        }
        if (!PciDeviceModel.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("class " + name + " is not a concrete subclass of "
                    + PciDeviceModel.class.getName());
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (PciDeviceModel) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("class " + name + " has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + name + " failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("class " + name + " cannot be instantiated: " + e.getMessage());
        }
    }
}
