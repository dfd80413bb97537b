using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BoxFusion.Graphics
{
    /// <summary>
    /// Loads SkiaSharp's native library (and HarfBuzzSharp's) from runtimes/&lt;rid&gt;/native beside this assembly, so a
    /// module installed anywhere draws without the library on the system path, and says plainly when it cannot.
    /// </summary>
    public static class GraphicsRuntime
    {
        private static readonly object Gate = new object();
        private static bool attempted;
        private static string problem;

        /// <summary>The runtime identifier whose native libraries this process needs, such as linux-x64 or osx.</summary>
        public static string RuntimeIdentifier { get; } = DetectRuntimeIdentifier();

        /// <summary>The folder the native libraries are taken from.</summary>
        public static string NativeFolder { get; } = Path.Combine(
            Path.GetDirectoryName(typeof(GraphicsRuntime).Assembly.Location) ?? ".", "runtimes", RuntimeIdentifier, "native");

        /// <summary>Null when drawing works; otherwise a sentence saying why it does not. Tries once per process.</summary>
        public static string EnsureLoaded()
        {
            lock (Gate)
            {
                if (!attempted)
                {
                    problem = Load();
                    attempted = true;
                }
                return problem;
            }
        }

        private static string Load()
        {
            try
            {
                Hook(typeof(SkiaSharp.SKCanvas).Assembly, "libSkiaSharp");
                Hook(typeof(HarfBuzzSharp.Blob).Assembly, "libHarfBuzzSharp");
                // The first call into the native library: fails here, not halfway through a picture.
                if (!SkiaSharp.SkiaSharpVersion.CheckNativeLibraryCompatible(false))
                    return Unavailable("the native library found (version " + SkiaSharp.SkiaSharpVersion.Native + ") is older than this SkiaSharp needs (" + SkiaSharp.SkiaSharpVersion.NativeMinimum + ")");
                if (Fonts.Sans == null) return "The font bundled with BoxFusion.Graphics could not be read.";
                return null;
            }
            catch (Exception e) when (e is DllNotFoundException || e is BadImageFormatException || e is EntryPointNotFoundException
                || e is TypeInitializationException || e is TypeLoadException || e is FileNotFoundException || e is FileLoadException)
            {
                var inner = e is TypeInitializationException && e.InnerException != null ? e.InnerException : e;
                return Unavailable(inner.Message);
            }
        }

        private static string Unavailable(string why) => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "Pictures cannot be drawn here: SkiaSharp's native library does not load on this platform ({0}, {1}; looked in '{2}'): {3}",
            RuntimeInformation.OSDescription.Trim(), RuntimeIdentifier, NativeFolder, why);

        /// <summary>The file a DllImport name stands for on this platform, in our own folder.</summary>
        private static string NativePath(string name)
        {
            string ext = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".dll" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so";
            return Path.Combine(NativeFolder, name + ext);
        }

        /// <summary>A DllImport resolver for that assembly, through reflection because netstandard2.0 lacks NativeLibrary.</summary>
        private static void Hook(Assembly assembly, string library)
        {
            string path = NativePath(library);
            var coreLib = typeof(object).Assembly;
            var nativeLibrary = coreLib.GetType("System.Runtime.InteropServices.NativeLibrary");
            var resolverType = coreLib.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (nativeLibrary != null && resolverType != null)
            {
                var load = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
                var set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
                var resolver = new LibraryResolver(library, path, load);
                var callback = Delegate.CreateDelegate(resolverType, resolver, typeof(LibraryResolver).GetMethod(nameof(LibraryResolver.Resolve)));
                try
                {
                    set.Invoke(null, new object[] { assembly, callback });
                }
                catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException)
                {
                    // someone (another copy of this module, or another module) set one already: theirs stays
                }
                return;
            }
            throw new TypeLoadException("this .NET has no NativeLibrary: BoxFusion needs PowerShell 7.6 or later");
        }

        private sealed class LibraryResolver
        {
            private readonly string library, path;
            private readonly MethodInfo load;

            public LibraryResolver(string library, string path, MethodInfo load)
            {
                this.library = library;
                this.path = path;
                this.load = load;
            }

            /// <summary>Our file for our library; IntPtr.Zero lets the runtime search as usual (and report what it tried).</summary>
            public IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
            {
                if (!name.StartsWith(library, StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return IntPtr.Zero;
                try
                {
                    return (IntPtr)load.Invoke(null, new object[] { path });
                }
                catch (TargetInvocationException)
                {
                    return IntPtr.Zero;
                }
            }
        }

        private static string DetectRuntimeIdentifier()
        {
            string arch;
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: arch = "x64"; break;
                case Architecture.X86: arch = "x86"; break;
                case Architecture.Arm64: arch = "arm64"; break;
                case Architecture.Arm: arch = "arm"; break;
                default: arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(); break;
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "win-" + arch;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return "osx";   // one universal library
            return (IsMusl() ? "linux-musl-" : "linux-") + arch;
        }

        /// <summary>Alpine and other musl systems need the musl build.</summary>
        private static bool IsMusl()
        {
            try
            {
                return Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*").Length > 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
