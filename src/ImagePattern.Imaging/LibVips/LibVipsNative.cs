using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// The libvips and GObject entry points the engine uses, all exported by the one self-contained
/// libvips-cpp shared object. Only non-variadic functions: options go through the operation API.
/// </summary>
internal static partial class LibVipsNative
{
    /// <summary>Logical library name; <see cref="LibVipsResolver"/> maps it to the file next to the assembly.</summary>
    internal const string Library = "libvips-cpp";

    // GType values of the GLib fundamental types (G_TYPE_MAKE_FUNDAMENTAL(n) = n << 2).
    internal const nuint GTypeBoolean = 5 << 2;
    internal const nuint GTypeInt = 6 << 2;
    internal const nuint GTypeDouble = 15 << 2;
    internal const nuint GTypeString = 16 << 2;

    // GLogLevelFlags.G_LOG_LEVEL_WARNING.
    internal const int GLogLevelWarning = 1 << 4;

    // VipsOperationFlags.VIPS_OPERATION_BLOCKED.
    internal const int OperationBlocked = 32;

    // The resolver must be in place before the first call into the library; a static constructor
    // runs before any member of this class, so every import below is covered.
    static LibVipsNative() => LibVipsResolver.Register();

    // --- process setup ---------------------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_init(string argv0);

    [LibraryImport(Library)]
    internal static partial IntPtr vips_version_string();

    [LibraryImport(Library)]
    internal static partial void vips_cache_set_max(int max);

    [LibraryImport(Library)]
    internal static partial void vips_cache_set_max_mem(nuint maxMem);

    [LibraryImport(Library)]
    internal static partial void vips_cache_set_max_files(int maxFiles);

    [LibraryImport(Library)]
    internal static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Library)]
    internal static partial int vips_concurrency_get();

    [LibraryImport(Library)]
    internal static partial void vips_block_untrusted_set([MarshalAs(UnmanagedType.I4)] bool state);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_operation_block_set(string name, [MarshalAs(UnmanagedType.I4)] bool state);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial uint g_log_set_handler(
        string logDomain, int logLevels, delegate* unmanaged<IntPtr, int, IntPtr, IntPtr, void> handler, IntPtr userData);

    // --- errors ----------------------------------------------------------------------------------

    /// <summary>Copies and clears the (process-wide) error buffer; free the copy with <see cref="g_free"/>.</summary>
    [LibraryImport(Library)]
    internal static partial IntPtr vips_error_buffer_copy();

    [LibraryImport(Library)]
    internal static partial void g_free(IntPtr memory);

    // --- objects and operations ------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial void g_object_unref(IntPtr gobject);

    [LibraryImport(Library)]
    internal static partial IntPtr g_object_ref(IntPtr gobject);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr vips_operation_new(string name);

    [LibraryImport(Library)]
    internal static partial int vips_operation_get_flags(VipsOperationHandle operation);

    [LibraryImport(Library)]
    internal static partial IntPtr vips_cache_operation_build(VipsOperationHandle operation);

    [LibraryImport(Library)]
    internal static partial void vips_object_unref_outputs(IntPtr vipsObject);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_set_argument_from_string(VipsOperationHandle vipsObject, string name, string value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_set_property(VipsOperationHandle gobject, string propertyName, ref GValue value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_get_property(VipsOperationHandle gobject, string propertyName, ref GValue value);

    [LibraryImport(Library)]
    internal static partial IntPtr vips_foreign_find_load_buffer(IntPtr data, nuint size);

    // --- GValue ----------------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial IntPtr g_value_init(ref GValue value, nuint gtype);

    [LibraryImport(Library)]
    internal static partial void g_value_unset(ref GValue value);

    [LibraryImport(Library)]
    internal static partial void g_value_set_boolean(ref GValue value, [MarshalAs(UnmanagedType.I4)] bool boolean);

    [LibraryImport(Library)]
    internal static partial void g_value_set_int(ref GValue value, int number);

    [LibraryImport(Library)]
    internal static partial void g_value_set_double(ref GValue value, double number);

    [LibraryImport(Library)]
    internal static partial double g_value_get_double(ref GValue value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_value_set_string(ref GValue value, string text);

    [LibraryImport(Library)]
    internal static partial void g_value_set_object(ref GValue value, VipsImage image);

    [LibraryImport(Library)]
    internal static partial IntPtr g_value_dup_object(ref GValue value);

    [LibraryImport(Library)]
    internal static partial IntPtr g_value_get_boxed(ref GValue value);

    [LibraryImport(Library)]
    internal static partial nuint vips_image_get_type();

    [LibraryImport(Library)]
    internal static partial nuint vips_blob_get_type();

    [LibraryImport(Library)]
    internal static partial nuint vips_array_double_get_type();

    [LibraryImport(Library)]
    internal static partial nuint vips_array_image_get_type();

    [LibraryImport(Library)]
    internal static partial nuint vips_ref_string_get_type();

    /// <summary>Wraps caller memory in a blob without copying; a null free function leaves ownership with the caller.</summary>
    [LibraryImport(Library)]
    internal static partial void vips_value_set_blob(ref GValue value, IntPtr freeFn, IntPtr data, nuint length);

    [LibraryImport(Library)]
    internal static partial IntPtr vips_blob_get(IntPtr blob, out nuint length);

    [LibraryImport(Library)]
    internal static unsafe partial void vips_value_set_array_double(ref GValue value, double* array, int n);

    [LibraryImport(Library)]
    internal static partial void vips_value_set_array_image(ref GValue value, int n);

    [LibraryImport(Library)]
    internal static partial IntPtr vips_value_get_array_image(ref GValue value, out int n);

    // --- images ----------------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial int vips_image_get_width(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_height(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_bands(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_format(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_interpretation(VipsImage image);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.I4)]
    internal static partial bool vips_image_hasalpha(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_orientation(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_page_height(VipsImage image);

    [LibraryImport(Library)]
    internal static partial int vips_image_get_n_pages(VipsImage image);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nuint vips_image_get_typeof(VipsImage image, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_int(VipsImage image, string name, out int value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_string(VipsImage image, string name, out IntPtr value);

    /// <summary>Only on an image nobody else shares (a fresh copy): metadata is not copy-on-write.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_image_set_int(VipsImage image, string name, int value);

    [LibraryImport(Library)]
    internal static partial IntPtr vips_image_copy_memory(VipsImage image);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr vips_image_new_matrix_from_array(int width, int height, double* array, int size);
}
