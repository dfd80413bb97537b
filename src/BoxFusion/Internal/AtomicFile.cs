using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace BoxFusion.Commands
{
    /// <summary>
    /// A file written under a temporary name beside its target and moved into place only when complete,
    /// so a failure or Ctrl+C leaves the earlier file as it was and no temporary file behind.
    /// Without <c>replace</c> the move itself refuses an existing target (<see cref="TargetExistsException"/>),
    /// so a file that appeared while this one was written is never clobbered.
    /// </summary>
    internal sealed class AtomicFile : IDisposable
    {
        private const int MaxNameBytes = 255; // a file name's limit on common file systems (ext4, APFS, NTFS in UTF-16 units)
        private FileStream stream;
        private bool committed;

        /// <param name="target">The file to create or replace (symbolic links already followed).</param>
        /// <param name="replace">Whether an existing file may be replaced (-Force).</param>
        /// <param name="permissions">Unix permission bits to give the new file (those of the file it replaces), or null.</param>
        /// <param name="durable">Flush the file to disk before it is moved into place. Pictures, drawn again in a moment,
        /// go without: the flush waits on the disk (~7 ms a file here) longer than drawing a picture takes.</param>
        public AtomicFile(string target, bool replace, int? permissions, bool durable = true)
        {
            Durable = durable;
            Target = target;
            Replace = replace;
            Permissions = permissions;
            string dir = Path.GetDirectoryName(Path.GetFullPath(target));
            TempPath = Path.Combine(dir, TempName(Path.GetFileName(target), Guid.NewGuid().ToString("N").Substring(0, 8)));
            stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }

        public string Target { get; }
        public string TempPath { get; }
        public bool Replace { get; }
        public int? Permissions { get; }
        public bool Durable { get; }
        public Stream Stream => stream;

        /// <summary>".name.1a2b3c4d.tmp", the name shortened so the whole stays within a file name's 255 bytes.</summary>
        internal static string TempName(string name, string tag)
        {
            string suffix = "." + tag + ".tmp";
            int room = MaxNameBytes - 1 - suffix.Length;
            int end = name.Length;
            while (end > 0 && Encoding.UTF8.GetByteCount(name.ToCharArray(), 0, end) > room)
            {
                end--;
                if (end > 0 && char.IsHighSurrogate(name[end - 1])) end--; // never split a surrogate pair
            }
            return "." + name.Substring(0, end) + suffix;
        }

        /// <summary>Flushes to disk and moves the temporary file to the target.</summary>
        /// <exception cref="TargetExistsException">Without replace: the target exists now.</exception>
        public void Commit()
        {
            stream.Flush(Durable);
            stream.Dispose();
            stream = null;
            if (Permissions.HasValue) FileFacts.TrySetPermissions(TempPath, Permissions.Value);
            if (!Replace)
            {
                MoveWithoutReplacing();
            }
            else
            {
                try
                {
                    MoveWithoutReplacing();
                }
                catch (TargetExistsException)
                {
                    File.Replace(TempPath, Target, null);
                }
            }
            committed = true;
        }

        /// <summary>
        /// Puts the finished file in place only if nothing is there. On Unix File.Move checks and then renames, which
        /// leaves a window; a hard link is made atomically or fails with EEXIST, so that comes first. Where links are
        /// not possible (some file systems) File.Move is the fallback. On Windows File.Move refuses atomically.
        /// </summary>
        private void MoveWithoutReplacing()
        {
            if (!FileFacts.IsWindows)
            {
                int result;
                try
                {
                    result = NativeMethods.link(TempPath, Target);
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    result = -1;
                }
                if (result == 0)
                {
                    File.Delete(TempPath);
                    return;
                }
                if (Marshal.GetLastWin32Error() == NativeMethods.EEXIST) throw new TargetExistsException(Target);
            }
            try
            {
                File.Move(TempPath, Target);
            }
            catch (IOException) when (File.Exists(Target) || Directory.Exists(Target))
            {
                throw new TargetExistsException(Target);
            }
        }

        /// <summary>Without a commit, the temporary file goes away and the target is untouched, whatever failed before.</summary>
        public void Dispose()
        {
            try { stream?.Dispose(); } catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException) { }
            stream = null;
            if (!committed)
            {
                try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        private static class NativeMethods
        {
            public const int EEXIST = 17; // the same on Linux and macOS

            [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
            public static extern int link(string existing, string created);
        }
    }

    /// <summary>The target of an <see cref="AtomicFile"/> appeared while it was written, and it may not be replaced.</summary>
    internal sealed class TargetExistsException : IOException
    {
        public TargetExistsException(string path) : base("'" + path + "' appeared while it was being written; it was left as it is.") { }
    }
}
