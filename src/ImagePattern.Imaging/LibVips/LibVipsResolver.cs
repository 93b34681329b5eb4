using System.Reflection;
using System.Runtime.InteropServices;

namespace ImagePattern.Imaging.LibVips;

/// <summary>
/// Finds the libvips shared object that the build copies next to the assemblies
/// (<c>libvips-cpp.so.&lt;version&gt;</c>), so no LD_LIBRARY_PATH is needed locally or in Lambda.
/// </summary>
internal static class LibVipsResolver
{
    private const string FilePattern = "libvips-cpp.so.*";

    private static int registered;
    private static readonly Lock Gate = new();
    private static IntPtr loaded;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(LibVipsResolver).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibVipsNative.Library)
        {
            return IntPtr.Zero;
        }

        lock (Gate)
        {
            if (loaded == IntPtr.Zero)
            {
                loaded = Load(assembly);
            }

            return loaded;
        }
    }

    private static IntPtr Load(Assembly assembly)
    {
        var searched = new List<string>();
        foreach (var directory in CandidateDirectories(assembly))
        {
            searched.Add(directory);
            var newest = Directory.EnumerateFiles(directory, FilePattern)
                .OrderByDescending(Path.GetFileName, StringComparer.Ordinal)
                .FirstOrDefault();
            if (newest is not null)
            {
                return NativeLibrary.Load(newest);
            }
        }

        throw new DllNotFoundException(
            $"libvips ({FilePattern}) was not found in {string.Join(", ", searched)}. " +
            "Build with the repository's npm dependencies installed (npm ci) so the build copies it next to the assemblies.");
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage(
        "SingleFile",
        "IL3000",
        Justification = "In a Native AOT bootstrap Location is empty and skipped below; AppContext.BaseDirectory, the next candidate, is then the executable's folder, where the package puts the library.")]
    private static IEnumerable<string> CandidateDirectories(Assembly assembly)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string?[] candidates = [Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory];
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrEmpty(candidate) && Directory.Exists(candidate) && seen.Add(Path.GetFullPath(candidate)))
            {
                yield return candidate;
            }
        }
    }
}
