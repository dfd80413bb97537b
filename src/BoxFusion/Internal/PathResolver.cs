using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Every path a cmdlet reads or writes goes through here: -Path (wildcards) and -LiteralPath as Get-FileHash
    /// resolves them, single files (-GroundTruth, -ImageInfo) and the file Export-Submission writes. Only regular
    /// files are read or replaced: a pipe, socket or device would block the read (or never end it), or be
    /// destroyed by the rename, so it is refused before anything opens it.
    /// </summary>
    internal static class PathResolver
    {
        /// <summary>
        /// Existing files for the given paths; writes a non-terminating error for each that resolves to nothing.
        /// A folder is an error, unless <paramref name="filesOfFolder"/> says which of its files to read.
        /// </summary>
        public static List<string> ResolveExisting(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal, Func<string, List<string>> filesOfFolder = null)
        {
            var result = new List<string>();
            if (paths == null) return result;
            foreach (var path in paths)
            {
                if (string.IsNullOrEmpty(path)) continue;
                if (literal)
                {
                    string resolved = ProviderPath(cmdlet, path, out var error);
                    if (error != null) cmdlet.WriteError(error);
                    else if (filesOfFolder != null && Directory.Exists(resolved)) result.AddRange(filesOfFolder(resolved));
                    else if (CheckReadable(cmdlet, resolved, resolved) is ErrorRecord problem) cmdlet.WriteError(problem);
                    else result.Add(resolved);
                    continue;
                }
                try
                {
                    var matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (provider.ImplementingType != typeof(FileSystemProvider))
                    {
                        cmdlet.WriteError(NotAFileSystemPath(path));
                        continue;
                    }
                    bool wildcard = WildcardPattern.ContainsWildcardCharacters(path);
                    int before = result.Count;
                    ErrorRecord firstProblem = null;
                    bool reported = false;
                    foreach (var m in matches)
                    {
                        if (filesOfFolder != null && Directory.Exists(m))
                        {
                            result.AddRange(filesOfFolder(m));
                            reported = true; // a folder without prediction files says so itself
                            continue;
                        }
                        var problem = CheckReadable(cmdlet, m, m);
                        if (problem == null) result.Add(m);
                        else if (problem.FullyQualifiedErrorId == NotARegularFileId) { cmdlet.WriteError(problem); reported = true; }
                        else firstProblem = firstProblem ?? problem; // folders a wildcard matched are passed over
                    }
                    if (result.Count == before && !reported)
                    {
                        cmdlet.WriteError(wildcard || firstProblem == null ? Errors.WildcardMatchedNothing(path) : firstProblem);
                    }
                }
                catch (ItemNotFoundException)
                {
                    if (WildcardPattern.ContainsWildcardCharacters(path)) cmdlet.WriteError(Errors.WildcardMatchedNothing(path));
                    else cmdlet.WriteError(Errors.FileNotFound(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)));
                }
                catch (System.Management.Automation.DriveNotFoundException e)
                {
                    cmdlet.WriteError(Errors.Create("DriveNotFound", ErrorCategory.ObjectNotFound, path, e.Message));
                }
                catch (ProviderNotFoundException e)
                {
                    cmdlet.WriteError(Errors.Create("NotAFileSystemPath", ErrorCategory.InvalidArgument, path, e.Message));
                }
            }
            return result;
        }

        /// <summary>
        /// One existing regular file named literally (-GroundTruth, -ImageInfo): its full path, or a terminating error
        /// (&lt;Parameter&gt;NotFound, PathIsNotAFile, NotARegularFile, NotAFileSystemPath).
        /// </summary>
        public static string ResolveInputFile(PSCmdlet cmdlet, string path, string parameter)
        {
            string resolved = ProviderPath(cmdlet, path, out var error);
            if (error != null) cmdlet.ThrowTerminatingError(error);
            var problem = CheckReadable(cmdlet, resolved, resolved);
            if (problem == null) return resolved;
            if (problem.FullyQualifiedErrorId == "FileNotFound")
            {
                problem = Errors.Create(parameter + "NotFound", ErrorCategory.ObjectNotFound, resolved, "-" + parameter + ": cannot find the file '" + resolved + "'.");
            }
            cmdlet.ThrowTerminatingError(problem);
            return null;
        }

        private const string NotARegularFileId = "NotARegularFile";

        /// <summary>Null when the path is a regular file (through any links), else the error that says what it is.</summary>
        private static ErrorRecord CheckReadable(PSCmdlet cmdlet, string resolved, string shown)
        {
            switch (FileFacts.KindOf(cmdlet.SessionState, resolved, out string what))
            {
                case ItemKind.File: return null;
                case ItemKind.Folder:
                    return Errors.Create("PathIsNotAFile", ErrorCategory.InvalidArgument, shown, "'" + shown + "' is a folder, not a file.");
                case ItemKind.Special:
                    return Errors.Create(NotARegularFileId, ErrorCategory.InvalidArgument, shown,
                        "'" + shown + "' is " + what + ", not a regular file; BoxFusion reads only regular files (reading " + what + " can wait forever or never end).");
                default:
                    return Errors.FileNotFound(resolved);
            }
        }

        /// <summary>A literal path as a file-system path, or the error that says why it is not one.</summary>
        private static string ProviderPath(PSCmdlet cmdlet, string path, out ErrorRecord error)
        {
            error = null;
            try
            {
                string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (provider.ImplementingType == typeof(FileSystemProvider)) return resolved;
                error = NotAFileSystemPath(path);
            }
            catch (System.Management.Automation.DriveNotFoundException e)
            {
                error = Errors.Create("DriveNotFound", ErrorCategory.ObjectNotFound, path, e.Message);
            }
            catch (ProviderNotFoundException e)
            {
                error = Errors.Create("NotAFileSystemPath", ErrorCategory.InvalidArgument, path, e.Message);
            }
            catch (PSNotSupportedException e)
            {
                error = Errors.Create("NotAFileSystemPath", ErrorCategory.InvalidArgument, path, e.Message);
            }
            return null;
        }

        private static ErrorRecord NotAFileSystemPath(string path) =>
            Errors.Create("NotAFileSystemPath", ErrorCategory.InvalidArgument, path, "'" + path + "' is not a file-system path; give a file's path.");

        /// <summary>
        /// The file a writer creates or replaces, checked before anything is written: -Path may not hold wildcards
        /// (-LiteralPath writes such a name), the path must be on the file system in an existing folder, a symbolic
        /// link is written through (the link stays), and only a regular file is ever replaced, and only with -Force.
        /// Throws a terminating error otherwise.
        /// </summary>
        public static WriteTarget ResolveForWriting(PSCmdlet cmdlet, string path, bool literal, bool force)
        {
            if (!literal)
            {
                if (WildcardPattern.ContainsWildcardCharacters(path))
                {
                    cmdlet.ThrowTerminatingError(Errors.Create("PathHasWildcards", ErrorCategory.InvalidArgument, path,
                        "'" + path + "' has wildcard characters (* ? [ ]); give one file name, or use -LiteralPath to write a name that has them."));
                }
                path = WildcardPattern.Unescape(path);
            }
            string given = ProviderPath(cmdlet, path, out var error);
            if (error != null) cmdlet.ThrowTerminatingError(error);
            string final = FileFacts.FinalTarget(given);
            bool link = final != given;
            string shown = link ? "'" + given + "' (a link to '" + final + "')" : "'" + given + "'";
            var kind = FileFacts.KindOf(cmdlet.SessionState, final, out string what);
            if (kind == ItemKind.Folder)
            {
                cmdlet.ThrowTerminatingError(Errors.Create("TargetNotARegularFile", ErrorCategory.InvalidArgument, given, shown + " is a folder, not a regular file; give a file name such as submission.json."));
            }
            if (kind == ItemKind.Special)
            {
                cmdlet.ThrowTerminatingError(Errors.Create("TargetNotARegularFile", ErrorCategory.InvalidArgument, given,
                    shown + " is " + what + ", not a regular file; it is never replaced, even with -Force. Give a file name."));
            }
            string folder = Path.GetDirectoryName(final);
            if (!Directory.Exists(folder))
            {
                cmdlet.ThrowTerminatingError(Errors.Create("FolderNotFound", ErrorCategory.ObjectNotFound, folder, "The folder '" + folder + "' does not exist."));
            }
            if (!force && (kind == ItemKind.File || link))
            {
                string message = kind == ItemKind.File
                    ? shown + " already exists; use -Force to replace it."
                    : "'" + given + "' is a link to '" + final + "', which does not exist; use -Force to write through the link.";
                cmdlet.ThrowTerminatingError(Errors.Create("FileExists", ErrorCategory.ResourceExists, given, message));
            }
            return new WriteTarget(given, final, kind == ItemKind.File);
        }
    }

    /// <summary>Where a writer's file goes: the path given and, through any symbolic links, the file actually written.</summary>
    internal sealed class WriteTarget
    {
        public WriteTarget(string path, string file, bool exists)
        {
            Path = path;
            File = file;
            Exists = exists;
        }

        /// <summary>The path as given (resolved): what the user sees in messages and -PassThru.</summary>
        public string Path { get; }

        /// <summary>The file written: <see cref="Path"/> with symbolic links followed.</summary>
        public string File { get; }

        /// <summary>Whether a regular file was there when the target was checked (it is replaced only with -Force).</summary>
        public bool Exists { get; }
    }
}
