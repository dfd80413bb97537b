using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Completes -Weight with a hashtable of the model names the shell can know: the files named in the same
    /// pipeline (Import-Detection's paths, or Merge-Detection -Path), as @{ yolox = 1; cascade = 1 }.
    /// </summary>
    public sealed class ModelNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var files = new List<string>();
            var pipeline = commandAst?.Parent as PipelineAst;
            var commands = pipeline != null ? pipeline.PipelineElements.OfType<CommandAst>() : new[] { commandAst };
            foreach (var command in commands)
            {
                if (command == null) continue;
                string name = command.GetCommandName() ?? "";
                bool reader = name.StartsWith("Import-Detection", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("Merge-Detection", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("Optimize-Fusion", StringComparison.OrdinalIgnoreCase);
                if (!reader) continue;
                foreach (var path in PathArguments(command)) files.AddRange(FilesNamed(path));
            }
            // The names the cmdlets will give (results.bbox.json files named by their folders), each once.
            var names = ModelNames.Derive(files).Distinct(ModelNames.Comparer).ToList();
            if (names.Count == 0) yield break;
            string table = "@{ " + string.Join("; ", names.Select(n => Quote(n) + " = 1")) + " }";
            yield return new CompletionResult(table, table, CompletionResultType.ParameterValue, "One weight per model");
            yield return new CompletionResult(string.Join(",", names.Select(_ => "1")), "1 per model (" + string.Join(", ", names) + ")",
                CompletionResultType.ParameterValue, "Weights in model order: " + string.Join(", ", names));
        }

        private static string Quote(string name) =>
            name.All(c => char.IsLetterOrDigit(c) || c == '_') && !char.IsDigit(name[0]) ? name : "'" + name.Replace("'", "''") + "'";

        /// <summary>String arguments of a command that look like its paths (positional or -Path/-LiteralPath).</summary>
        private static IEnumerable<string> PathArguments(CommandAst command)
        {
            var elements = command.CommandElements;
            for (int i = 1; i < elements.Count; i++)
            {
                if (elements[i] is CommandParameterAst p)
                {
                    bool isPath = p.ParameterName.StartsWith("P", StringComparison.OrdinalIgnoreCase) || p.ParameterName.StartsWith("L", StringComparison.OrdinalIgnoreCase);
                    if (!isPath) i++; // skip that parameter's value
                    continue;
                }
                foreach (var s in Strings(elements[i])) yield return s;
            }
        }

        private static IEnumerable<string> Strings(Ast ast)
        {
            switch (ast)
            {
                case StringConstantExpressionAst s: yield return s.Value; break;
                case ExpandableStringExpressionAst e: yield return e.Value; break;
                case ArrayLiteralAst a:
                    foreach (var element in a.Elements) foreach (var s in Strings(element)) yield return s;
                    break;
            }
        }

        /// <summary>The files a path argument names: the matches of a wildcard in its folder, or the path itself.</summary>
        private static IEnumerable<string> FilesNamed(string path)
        {
            if (WildcardPattern.ContainsWildcardCharacters(path))
            {
                string dir = Path.GetDirectoryName(path);
                string pattern = Path.GetFileName(path);
                string here = CurrentLocation();
                string full = string.IsNullOrEmpty(dir) ? here : Path.Combine(here, dir);
                if (!Directory.Exists(full)) yield break;
                var matcher = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                foreach (var file in Directory.EnumerateFiles(full).Where(f => matcher.IsMatch(Path.GetFileName(f))).OrderBy(f => f, StringComparer.Ordinal))
                    yield return file;
                yield break;
            }
            yield return path;
        }

        /// <summary>The shell's current folder (which is not the process's), asked of the running session.</summary>
        private static string CurrentLocation()
        {
            try
            {
                using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    var location = ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").Invoke<PathInfo>();
                    if (location.Count > 0 && location[0].Provider.Name == "FileSystem") return location[0].ProviderPath;
                }
            }
            catch (Exception)
            {
                // Completion must never fail; fall back to the process folder.
            }
            return Directory.GetCurrentDirectory();
        }
    }
}
