using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// One call of a libvips operation through the C operation API: create by name, set arguments
/// (typed <see cref="GValue"/>s, enums by nickname), build, read outputs. This avoids the variadic
/// convenience functions, whose calling convention differs between platforms.
/// </summary>
/// <example><code>
/// using var op = VipsOperation.Create("flatten").Set("in", image).Set("background", [255.0]);
/// using var flat = op.Build().GetImage("out");
/// </code></example>
internal sealed class VipsOperation : IDisposable
{
    private readonly string operationName;
    private VipsOperationHandle handle;

    private VipsOperation(string name, VipsOperationHandle handle)
    {
        this.operationName = name;
        this.handle = handle;
    }

    /// <summary>Creates an operation by nickname (<c>thumbnail_buffer</c>) or type name (<c>VipsForeignLoadPngBuffer</c>).</summary>
    public static VipsOperation Create(string name)
    {
        LibVipsRuntime.EnsureInitialized();
        var pointer = LibVipsNative.vips_operation_new(name);
        if (pointer == IntPtr.Zero)
        {
            throw new VipsException(VipsErrors.Take($"unknown libvips operation '{name}'"));
        }

        return new VipsOperation(name, new VipsOperationHandle(pointer));
    }

    /// <summary>Runs an operation whose result is its <c>out</c> image.</summary>
    public static VipsImage Run(string name, Action<VipsOperation> configure)
    {
        using var op = Create(name);
        configure(op);
        return op.Build().GetImage("out");
    }

    /// <summary>True when the allow-list blocks this operation (a loader outside it, an untrusted one).</summary>
    public bool IsBlocked => (LibVipsNative.vips_operation_get_flags(handle) & LibVipsNative.OperationBlocked) != 0;

    public VipsOperation Set(string name, int value)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.GTypeInt);
        LibVipsNative.g_value_set_int(ref gvalue, value);
        return SetAndUnset(name, ref gvalue);
    }

    public VipsOperation Set(string name, bool value)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.GTypeBoolean);
        LibVipsNative.g_value_set_boolean(ref gvalue, value);
        return SetAndUnset(name, ref gvalue);
    }

    public VipsOperation Set(string name, double value)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.GTypeDouble);
        LibVipsNative.g_value_set_double(ref gvalue, value);
        return SetAndUnset(name, ref gvalue);
    }

    public VipsOperation Set(string name, string value)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.GTypeString);
        LibVipsNative.g_value_set_string(ref gvalue, value);
        return SetAndUnset(name, ref gvalue);
    }

    /// <summary>Sets an enum or flags argument by its libvips nickname, e.g. <c>size=down</c>, <c>keep=none</c>.</summary>
    public VipsOperation SetEnum(string name, string nickname)
    {
        if (LibVipsNative.vips_object_set_argument_from_string(handle, name, nickname) != 0)
        {
            throw new VipsException(VipsErrors.Take($"cannot set {name}={nickname}"));
        }

        return this;
    }

    public VipsOperation Set(string name, VipsImage image)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.vips_image_get_type());
        LibVipsNative.g_value_set_object(ref gvalue, image);
        return SetAndUnset(name, ref gvalue);
    }

    public unsafe VipsOperation Set(string name, ReadOnlySpan<double> values)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.vips_array_double_get_type());
        fixed (double* first = values)
        {
            LibVipsNative.vips_value_set_array_double(ref gvalue, first, values.Length);
        }

        return SetAndUnset(name, ref gvalue);
    }

    public unsafe VipsOperation Set(string name, IReadOnlyList<VipsImage> images)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.vips_array_image_get_type());
        LibVipsNative.vips_value_set_array_image(ref gvalue, images.Count);
        var slots = (IntPtr*)LibVipsNative.vips_value_get_array_image(ref gvalue, out _);
        for (var i = 0; i < images.Count; i++)
        {
            // The array owns one reference per element and drops them when the value is unset.
            slots[i] = LibVipsNative.g_object_ref(images[i].DangerousPointer);
        }

        GC.KeepAlive(images);
        return SetAndUnset(name, ref gvalue);
    }

    /// <summary>
    /// Points a blob argument at caller memory without copying. The caller keeps the memory pinned
    /// until every image produced from this operation has been written or disposed: libvips reads it lazily.
    /// </summary>
    public VipsOperation SetBuffer(string name, IntPtr data, nuint length)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.vips_blob_get_type());
        LibVipsNative.vips_value_set_blob(ref gvalue, IntPtr.Zero, data, length);
        return SetAndUnset(name, ref gvalue);
    }

    /// <summary>Runs the operation (savers do all their work here). Throws <see cref="VipsException"/> with libvips' message.</summary>
    public VipsOperation Build()
    {
        var built = LibVipsNative.vips_cache_operation_build(handle);
        if (built == IntPtr.Zero)
        {
            throw new VipsException(VipsErrors.Take($"{operationName} failed without a message"));
        }

        // The build returns a new reference (with the cache off, to the same object); the old one is
        // released without dropping outputs, which now belong to the built reference.
        var previous = handle.DangerousGetHandle();
        handle.SetHandleAsInvalid();
        LibVipsNative.g_object_unref(previous);
        handle = new VipsOperationHandle(built);
        return this;
    }

    public VipsImage GetImage(string name)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.vips_image_get_type());
        try
        {
            LibVipsNative.g_object_get_property(handle, name, ref gvalue);
            return VipsImage.Own(LibVipsNative.g_value_dup_object(ref gvalue), $"operation has no output image '{name}'");
        }
        finally
        {
            LibVipsNative.g_value_unset(ref gvalue);
        }
    }

    public double GetDouble(string name)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.GTypeDouble);
        try
        {
            LibVipsNative.g_object_get_property(handle, name, ref gvalue);
            return LibVipsNative.g_value_get_double(ref gvalue);
        }
        finally
        {
            LibVipsNative.g_value_unset(ref gvalue);
        }
    }

    /// <summary>Copies a blob output (a saver's <c>buffer</c>) into managed memory.</summary>
    public byte[] GetBytes(string name)
    {
        var gvalue = default(GValue);
        LibVipsNative.g_value_init(ref gvalue, LibVipsNative.vips_blob_get_type());
        try
        {
            LibVipsNative.g_object_get_property(handle, name, ref gvalue);
            var blob = LibVipsNative.g_value_get_boxed(ref gvalue);
            if (blob == IntPtr.Zero)
            {
                throw new VipsException($"operation has no output buffer '{name}'");
            }

            var data = LibVipsNative.vips_blob_get(blob, out var length);
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
            Marshal.Copy(data, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            LibVipsNative.g_value_unset(ref gvalue);
        }
    }

    public void Dispose() => handle.Dispose();

    private VipsOperation SetAndUnset(string name, ref GValue gvalue)
    {
        try
        {
            LibVipsNative.g_object_set_property(handle, name, ref gvalue);
            return this;
        }
        finally
        {
            LibVipsNative.g_value_unset(ref gvalue);
        }
    }
}
