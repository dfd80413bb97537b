using System;
using System.IO;

namespace BoxFusion.Commands
{
    /// <summary>
    /// A file written under a temporary name beside its target and renamed over it only when complete,
    /// so a failure or Ctrl+C leaves the earlier file as it was.
    /// </summary>
    internal sealed class AtomicFile : IDisposable
    {
        private FileStream stream;
        private bool committed;

        public AtomicFile(string target)
        {
            Target = target;
            string dir = Path.GetDirectoryName(Path.GetFullPath(target));
            TempPath = Path.Combine(dir, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }

        public string Target { get; }
        public string TempPath { get; }
        public Stream Stream => stream;

        /// <summary>Flushes to disk and moves the temporary file over the target.</summary>
        public void Commit()
        {
            stream.Flush(true);
            stream.Dispose();
            stream = null;
            if (File.Exists(Target)) File.Replace(TempPath, Target, null);
            else File.Move(TempPath, Target);
            committed = true;
        }

        /// <summary>Without a commit, the temporary file goes away and the target is untouched.</summary>
        public void Dispose()
        {
            stream?.Dispose();
            stream = null;
            if (!committed)
            {
                try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
