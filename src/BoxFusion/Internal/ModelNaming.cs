using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// The model name of each file a command reads: -Model (one name per file, or one for all), else the default
    /// rule of <see cref="ModelNames"/>. Names that cannot be told apart end the command before anything is read,
    /// since reading two models as one would fuse a model with itself without a word.
    /// </summary>
    internal static class ModelNaming
    {
        public static string[] NamesFor(PSCmdlet cmdlet, IReadOnlyList<string> files, string[] model)
        {
            if (model == null || model.Length == 0)
            {
                var derived = ModelNames.Derive(files);
                ThrowIfDuplicate(cmdlet, derived, files, "Cannot tell the models of these files apart by their file or folder names",
                    "Name each file's model with -Model, one name per file in the order the files are read (for example -Model yolox, cascade).");
                return derived;
            }
            if (model.Length == 1) return Enumerable.Repeat(model[0], files.Count).ToArray();
            if (model.Length != files.Count)
            {
                cmdlet.ThrowTerminatingError(Errors.InvalidArgument("ModelCountMismatch", "Model", model, string.Format(CultureInfo.InvariantCulture,
                    "{0} model names were given for {1} file{2}{3}; give one name per file, in the order the files are read, or one name for all.",
                    model.Length, files.Count, files.Count == 1 ? "" : "s", files.Count == 0 ? "" : " (" + string.Join(", ", files) + ")")));
            }
            ThrowIfDuplicate(cmdlet, model, files, "-Model gives one name to several files (model names ignore case)",
                "Give each file a name of its own, or give a single -Model name to read all the files as one model.");
            return model;
        }

        private static void ThrowIfDuplicate(PSCmdlet cmdlet, string[] names, IReadOnlyList<string> files, string problem, string advice)
        {
            var groups = ModelNames.Duplicates(names);
            if (groups.Count == 0) return;
            var lines = groups.Select(g => string.Join(" and ", g.Select(i => "'" + names[i] + "'").Distinct()) + ": " + string.Join(", ", g.Select(i => files[i])));
            var involved = groups.SelectMany(g => g).Select(i => files[i]).ToArray();
            cmdlet.ThrowTerminatingError(Errors.Create("DuplicateModelName", ErrorCategory.InvalidArgument, involved,
                problem + ": " + string.Join("; ", lines) + ". " + advice));
        }
    }
}
