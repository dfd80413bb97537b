using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BoxFusion
{
    /// <summary>
    /// Model identity and default model names. Names compare ignoring case, as PowerShell does ('Det' and 'det'
    /// are one model). A file's default name is its base name without mmdetection's '.bbox'/'.segm'/'.proposal';
    /// files of one command that share it are named by the nearest folder that tells them apart, because real
    /// detectors write the same file name into one folder per run (work_dirs/yolox/results.bbox.json,
    /// runs/val/exp2/predictions.json, out_a/inference/coco_instances_results.json).
    /// </summary>
    public static class ModelNames
    {
        /// <summary>The one comparer for model names, everywhere.</summary>
        public static StringComparer Comparer { get; } = StringComparer.OrdinalIgnoreCase;

        private static readonly string[] MmdetectionSuffixes = { ".bbox", ".segm", ".proposal" };

        /// <summary>yolox.json → yolox; results.bbox.json → results.</summary>
        public static string BaseName(string path)
        {
            string name = Path.GetFileNameWithoutExtension(path);
            foreach (var suffix in MmdetectionSuffixes)
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                    return name.Substring(0, name.Length - suffix.Length);
            }
            return name;
        }

        /// <summary>
        /// Default names for the files of one command, in order. Files that share a base name get the name of their
        /// folder at the nearest depth where all of theirs differ; names may still repeat where no folder differs
        /// (see <see cref="Duplicates"/>).
        /// </summary>
        public static string[] Derive(IReadOnlyList<string> paths)
        {
            if (paths == null) throw new ArgumentNullException(nameof(paths));
            var names = paths.Select(BaseName).ToArray();
            foreach (var group in Duplicates(names))
            {
                var folders = group.Select(i => FoldersUpward(paths[i])).ToArray();
                int deepest = folders.Max(f => f.Count);
                for (int depth = 0; depth < deepest; depth++)
                {
                    if (folders.Any(f => depth >= f.Count)) break; // a shorter path ran out of folders
                    var atDepth = folders.Select(f => f[depth]).ToArray();
                    if (atDepth.Distinct(Comparer).Count() < atDepth.Length) continue;
                    for (int k = 0; k < group.Length; k++) names[group[k]] = atDepth[k];
                    break;
                }
            }
            return names;
        }

        /// <summary>Groups of indices whose names are equal ignoring case, in order of first appearance; empty when all differ.</summary>
        public static List<int[]> Duplicates(IReadOnlyList<string> names)
        {
            var byName = new Dictionary<string, List<int>>(Comparer);
            var order = new List<List<int>>();
            for (int i = 0; i < names.Count; i++)
            {
                string name = names[i] ?? string.Empty;
                if (!byName.TryGetValue(name, out var list))
                {
                    byName.Add(name, list = new List<int>());
                    order.Add(list);
                }
                list.Add(i);
            }
            return order.Where(l => l.Count > 1).Select(l => l.ToArray()).ToList();
        }

        /// <summary>Folder names from the file's own folder up to the root: a/b/c.json → b, a.</summary>
        private static List<string> FoldersUpward(string path)
        {
            var result = new List<string>();
            string dir = Path.GetDirectoryName(path);
            while (!string.IsNullOrEmpty(dir))
            {
                string name = Path.GetFileName(dir);
                if (string.IsNullOrEmpty(name)) break; // the root
                result.Add(name);
                dir = Path.GetDirectoryName(dir);
            }
            return result;
        }
    }
}
