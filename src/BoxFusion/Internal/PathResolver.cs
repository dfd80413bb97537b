using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>Resolves -Path (wildcards) and -LiteralPath to file-system paths, as Get-FileHash does.</summary>
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
                    string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                    if (File.Exists(resolved)) result.Add(resolved);
                    else if (filesOfFolder != null && Directory.Exists(resolved)) result.AddRange(filesOfFolder(resolved));
                    else cmdlet.WriteError(Errors.FileNotFound(resolved));
                    continue;
                }
                try
                {
                    var matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    {
                        cmdlet.WriteError(Errors.Create("NotAFileSystemPath", ErrorCategory.InvalidArgument, path,
                            "'" + path + "' is not a file-system path."));
                        continue;
                    }
                    bool found = false;
                    foreach (var m in matches)
                    {
                        if (File.Exists(m)) { result.Add(m); found = true; }
                        else if (filesOfFolder != null && Directory.Exists(m)) { result.AddRange(filesOfFolder(m)); found = true; }
                    }
                    if (!found)
                    {
                        if (WildcardPattern.ContainsWildcardCharacters(path)) cmdlet.WriteError(Errors.WildcardMatchedNothing(path));
                        else cmdlet.WriteError(Errors.Create("PathIsNotAFile", ErrorCategory.InvalidArgument, path, "'" + path + "' is a folder, not a file."));
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
            }
            return result;
        }

        /// <summary>A path to write to: resolved against the current location, not required to exist.</summary>
        public static string ResolveForWriting(PSCmdlet cmdlet, string path) =>
            cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
