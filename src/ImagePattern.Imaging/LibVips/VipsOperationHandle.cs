using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>An owned reference to a libvips operation; releasing it also drops the outputs it still holds.</summary>
internal sealed class VipsOperationHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller.</summary>
    public VipsOperationHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal VipsOperationHandle(IntPtr owned)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(owned);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibVipsNative.vips_object_unref_outputs(handle);
        LibVipsNative.g_object_unref(handle);
        return true;
    }
}
