using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>An owned reference to a libvips image; disposing drops the reference.</summary>
internal sealed class VipsImage : SafeHandle
{
    /// <summary>Used by the interop marshaller.</summary>
    public VipsImage()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private VipsImage(IntPtr owned)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(owned);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    public int Width => LibVipsNative.vips_image_get_width(this);

    public int Height => LibVipsNative.vips_image_get_height(this);

    public int Bands => LibVipsNative.vips_image_get_bands(this);

    public VipsBandFormat BandFormat => (VipsBandFormat)LibVipsNative.vips_image_get_format(this);

    public VipsInterpretation Interpretation => (VipsInterpretation)LibVipsNative.vips_image_get_interpretation(this);

    public bool HasAlpha => LibVipsNative.vips_image_hasalpha(this);

    /// <summary>EXIF orientation 1–8, 1 when absent.</summary>
    public int Orientation => LibVipsNative.vips_image_get_orientation(this);

    /// <summary>Height of one page (frame) of a multi-page image; the whole height otherwise.</summary>
    public int PageHeight => LibVipsNative.vips_image_get_page_height(this);

    public int Pages => LibVipsNative.vips_image_get_n_pages(this);

    /// <summary>Takes over a reference returned by libvips; throws with libvips' message when it is null.</summary>
    internal static VipsImage Own(IntPtr reference, string what) =>
        reference == IntPtr.Zero ? throw new VipsException(VipsErrors.Take(what)) : new VipsImage(reference);

    /// <summary>A small constant matrix (e.g. for <c>recomb</c>), row by row.</summary>
    public static unsafe VipsImage Matrix(int width, int height, ReadOnlySpan<double> values)
    {
        LibVipsRuntime.EnsureInitialized();
        fixed (double* first = values)
        {
            return Own(LibVipsNative.vips_image_new_matrix_from_array(width, height, first, values.Length), "cannot make a matrix");
        }
    }

    public bool Has(string field) => LibVipsNative.vips_image_get_typeof(this, field) != 0;

    public int? GetInt(string field) =>
        Has(field) && LibVipsNative.vips_image_get_int(this, field, out var value) == 0 ? value : null;

    public string? GetString(string field)
    {
        // Only string-typed fields: vips_image_get_string errors (and fills the shared error buffer) otherwise.
        var type = LibVipsNative.vips_image_get_typeof(this, field);
        if (type != LibVipsNative.GTypeString && type != LibVipsNative.vips_ref_string_get_type())
        {
            return null;
        }

        return LibVipsNative.vips_image_get_string(this, field, out var text) == 0 ? Marshal.PtrToStringUTF8(text) : null;
    }

    /// <summary>Sets an int field. Only on an image this code just made and shares with nobody.</summary>
    public void SetInt(string field, int value) => LibVipsNative.vips_image_set_int(this, field, value);

    /// <summary>Renders the whole pipeline into memory: decoding errors surface here.</summary>
    public VipsImage CopyMemory() => Own(LibVipsNative.vips_image_copy_memory(this), "copy to memory failed");

    /// <summary>A second owned reference to the same image.</summary>
    public VipsImage AddReference()
    {
        var success = false;
        DangerousAddRef(ref success);
        try
        {
            return new VipsImage(LibVipsNative.g_object_ref(handle));
        }
        finally
        {
            if (success)
            {
                DangerousRelease();
            }
        }
    }

    internal IntPtr DangerousPointer => handle;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibVipsNative.g_object_unref(handle);
        return true;
    }
}
