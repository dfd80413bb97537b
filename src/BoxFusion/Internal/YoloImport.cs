using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BoxFusion.Coco;
using BoxFusion.Json;
using BoxFusion.Yolo;

namespace BoxFusion.Commands
{
    /// <summary>Import-Detection -Format Yolo: one txt file per image, sizes and categories from -ImageInfo.</summary>
    internal sealed class YoloImport
    {
        private readonly PSCmdlet cmdlet;
        private readonly YoloPredictionReader reader;
        private readonly SkippedRecords skipped = new SkippedRecords();
        private long files;

        public YoloImport(PSCmdlet cmdlet, CocoGroundTruth imageInfo)
        {
            this.cmdlet = cmdlet;
            reader = new YoloPredictionReader(imageInfo);
        }

        /// <summary>A YOLO run writes runs/detect/NAME/labels/*.txt: the model is NAME.</summary>
        public static string ModelNameOf(string path)
        {
            var dir = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path)));
            if (string.Equals(dir.Name, "labels", StringComparison.OrdinalIgnoreCase) && dir.Parent != null) dir = dir.Parent;
            return dir.Name;
        }

        /// <summary>
        /// The prediction files of a folder: its *.txt, or those of its labels folder (a YOLO run folder such as
        /// runs/detect/exp), in name order. A folder without any is an error.
        /// </summary>
        public List<string> FilesOf(string folder)
        {
            var files = TextFiles(folder);
            string labels = Path.Combine(folder, "labels");
            if (files.Count == 0 && Directory.Exists(labels)) files = TextFiles(labels);
            if (files.Count == 0)
            {
                cmdlet.WriteError(Errors.Create("NoPredictionFiles", ErrorCategory.ObjectNotFound, folder,
                    "'" + folder + "' has no YOLO prediction files (*.txt), and no labels folder with them."));
            }
            return files;
        }

        private static List<string> TextFiles(string folder) =>
            Directory.EnumerateFiles(folder, "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToList();

        public void Read(string path, string model, Action<Detection> accept)
        {
            CocoImage image;
            try
            {
                image = reader.ImageFor(path);
            }
            catch (AmbiguousImageIdException e)
            {
                cmdlet.WriteError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, path, "'" + path + "': " + e.Message + " The file was not read.", e));
                return;
            }
            if (image == null)
            {
                cmdlet.WriteError(Errors.Create("ImageNotInImageInfo", ErrorCategory.ObjectNotFound, path,
                    "'" + path + "': no image in -ImageInfo has the file name '" + Path.GetFileNameWithoutExtension(path) + ".*'; YOLO prediction files are named after their image."));
                return;
            }
            try
            {
                foreach (var d in reader.Read(path, image, model, skipped)) accept(d);
                files++;
            }
            catch (IOException e)
            {
                cmdlet.WriteError(Errors.Create("FileReadFailed", ErrorCategory.ReadError, path, "Cannot read '" + path + "': " + e.Message, e));
            }
        }

        /// <summary>One report per kind of skipped line, for all files together.</summary>
        public void Complete()
        {
            foreach (var e in skipped.Entries)
            {
                cmdlet.WriteError(Errors.Create("SkippedLines" + e.Problem, ErrorCategory.InvalidData, null, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "{0} YOLO prediction line{1} skipped in {2} files; first: line {3}: {4}.", e.Count, e.Count == 1 ? "" : "s", files, e.FirstRecord, e.FirstDetail)));
            }
        }
    }
}
