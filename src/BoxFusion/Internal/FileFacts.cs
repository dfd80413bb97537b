using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BoxFusion.Commands
{
    /// <summary>What a path names, once symbolic links are followed.</summary>
    internal enum ItemKind
    {
        Missing,
        File,
        Folder,
        /// <summary>A named pipe, socket or device: opening it can block forever or never end, and replacing it breaks the system.</summary>
        Special,
    }

    /// <summary>
    /// File-system facts the readers and the writer decide on: the kind of item behind a path, where a chain of
    /// symbolic links ends, hard links and permissions. On Unix these come from PowerShell's own stat of the item
    /// (the UnixStat property its provider adds to files) and the runtime's link and permission APIs, found at run
    /// time because the module is built for netstandard2.0; where they are missing (Windows) the answers fall back
    /// to "regular file, one link, permissions unknown".
    /// </summary>
    internal static class FileFacts
    {
        private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, FolderType = 0x4000, BlockDevice = 0x6000, Regular = 0x8000, SymbolicLink = 0xA000, Socket = 0xC000;
        private const int PermissionMask = 0x1FF; // rwx for owner, group and others

        private static readonly MethodInfo ResolveLinkTarget = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });
        private static readonly Type UnixFileModeType = Type.GetType("System.IO.UnixFileMode");
        private static readonly MethodInfo SetUnixFileMode = UnixFileModeType == null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), UnixFileModeType });

        public static bool IsWindows { get; } = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The path with every symbolic link followed, as far as the chain goes (a dangling link gives the missing file it names).</summary>
        public static string FinalTarget(string path)
        {
            if (ResolveLinkTarget == null) return path;
            try
            {
                var target = ResolveLinkTarget.Invoke(new FileInfo(path), new object[] { true }) as FileSystemInfo;
                return target?.FullName ?? path;
            }
            catch (TargetInvocationException)
            {
                return path; // a loop of links, or one we may not read: the open will report it
            }
        }

        /// <summary>The kind of item the path ends at, following symbolic links; <paramref name="description"/> names a special file's kind.</summary>
        public static ItemKind KindOf(SessionState session, string path, out string description)
        {
            description = null;
            string final = FinalTarget(path);
            if (Directory.Exists(final)) return ItemKind.Folder;
            if (!File.Exists(final)) return ItemKind.Missing;
            try
            {
                // Pipes, sockets and devices have no size: a file with content is a regular file, without a stat call.
                if (new FileInfo(final).Length > 0) return ItemKind.File;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            var stat = StatOf(session, final);
            if (stat == null) return ItemKind.File;
            switch (ModeOf(stat) & TypeMask)
            {
                case Regular: return ItemKind.File;
                case FolderType: return ItemKind.Folder;
                case SymbolicLink: return ItemKind.Missing; // a chain that could not be followed to its end
                case Fifo: description = "a named pipe (FIFO)"; break;
                case Socket: description = "a socket"; break;
                case CharDevice: description = "a character device"; break;
                case BlockDevice: description = "a block device"; break;
                default: description = "not a regular file"; break;
            }
            return ItemKind.Special;
        }

        /// <summary>How many names the file has (1 where this cannot be known).</summary>
        public static long HardLinkCount(SessionState session, string path)
        {
            var stat = StatOf(session, path);
            object count = stat?.Properties["HardlinkCount"]?.Value;
            return count == null ? 1 : Convert.ToInt64(count, CultureInfo.InvariantCulture);
        }

        /// <summary>The file's Unix permission bits, or null (Windows, or unknown).</summary>
        public static int? PermissionsOf(SessionState session, string path)
        {
            var stat = StatOf(session, path);
            return stat == null ? (int?)null : ModeOf(stat) & PermissionMask;
        }

        /// <summary>Gives the file these Unix permission bits; false where the runtime cannot.</summary>
        public static bool TrySetPermissions(string path, int permissions)
        {
            if (SetUnixFileMode == null || IsWindows) return false;
            try
            {
                SetUnixFileMode.Invoke(null, new object[] { path, Enum.ToObject(UnixFileModeType, permissions & PermissionMask) });
                return true;
            }
            catch (TargetInvocationException)
            {
                return false;
            }
        }

        /// <summary>
        /// PowerShell's lstat of the path: the UnixStat property its file-system provider puts on the items it returns.
        /// Null on Windows, for a missing path, or where the provider gives none.
        /// </summary>
        private static PSObject StatOf(SessionState session, string path)
        {
            if (IsWindows || session == null) return null;
            try
            {
                var items = session.InvokeProvider.Item.Get(new[] { path }, true, true);
                object stat = items.Count == 1 ? items[0].Properties["UnixStat"]?.Value : null;
                return stat == null ? null : PSObject.AsPSObject(stat);
            }
            catch (Exception e) when (e is ItemNotFoundException || e is ProviderInvocationException || e is GetValueException
                || e is IOException || e is UnauthorizedAccessException || e is System.Security.SecurityException)
            {
                return null;
            }
        }

        private static int ModeOf(PSObject stat) =>
            Convert.ToInt32(stat.Properties["Mode"].Value, CultureInfo.InvariantCulture);
    }
}
