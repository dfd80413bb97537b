using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
using BoxFusion.Coco;
using BoxFusion.Json;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Writes detections as a COCO results file (or a zip holding submission.json), in the order received.
    /// The file appears only when complete; an existing file is replaced only with -Force.
    /// </summary>
    [Cmdlet(VerbsData.Export, "Submission", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportSubmissionCommand : PSCmdlet, IDisposable
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private string target;
        private bool writing;
        private AtomicFile file;
        private ZipArchive zip;
        private Stream entry;
        private CocoResultWriter writer;
        private long emptyBoxes, nonFinite;
        private object firstEmpty;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public Detection InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; }

        /// <summary>Write a zip holding only submission.json (implied by a .zip path).</summary>
        [Parameter]
        public SwitchParameter Zip { get; set; }

        /// <summary>The name of the JSON file inside the zip.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string EntryName { get; set; } = "submission.json";

        /// <summary>A COCO annotations file (or its images): each detection's image id becomes that file's id for the image.</summary>
        [Parameter]
        public object ImageInfo { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Round box coordinates and scores to this many decimals: a smaller file. Off by default (every digit kept).</summary>
        [Parameter]
        [ValidateRange(0, 15)]
        public int? Decimals { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (ImageInfo != null) imageInfo = ImageInfoSource.Resolve(this, ImageInfo, nameof(ImageInfo), imagesOnly: true);
            string given = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
            target = PathResolver.ResolveForWriting(this, given);
            if (Directory.Exists(target))
            {
                ThrowTerminatingError(Errors.Create("PathIsAFolder", ErrorCategory.InvalidArgument, target, "'" + target + "' is a folder; give a file name such as submission.json."));
            }
            string folder = System.IO.Path.GetDirectoryName(target);
            if (!Directory.Exists(folder))
            {
                ThrowTerminatingError(Errors.Create("FolderNotFound", ErrorCategory.ObjectNotFound, folder, "The folder '" + folder + "' does not exist."));
            }
            if (File.Exists(target) && !Force)
            {
                ThrowTerminatingError(Errors.Create("FileExists", ErrorCategory.ResourceExists, target,
                    "'" + target + "' already exists; use -Force to replace it."));
            }
            bool asZip = Zip || target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
            if (!ShouldProcess(target, asZip ? "Write submission zip" : "Write submission")) return;
            try
            {
                file = new AtomicFile(target);
                Stream output = file.Stream;
                if (asZip)
                {
                    zip = new ZipArchive(file.Stream, ZipArchiveMode.Create, leaveOpen: true);
                    output = entry = zip.CreateEntry(EntryName, CompressionLevel.Optimal).Open();
                }
                writer = Decimals.HasValue ? new CocoResultWriter(output, Decimals.Value) : new CocoResultWriter(output);
                writing = true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create("FileWriteFailed", ErrorCategory.WriteError, target, "Cannot write '" + target + "': " + e.Message, e));
            }
        }

        protected override void ProcessRecord()
        {
            var d = InputObject;
            if (!writing || d == null) return;
            if (d.ImageId == null)
            {
                WriteError(Errors.Create("DetectionWithoutImageId", ErrorCategory.InvalidData, d, "A detection without an image id cannot be written: " + d));
                return;
            }
            if (!IsFinite(d.Score) || !IsFinite(d.X) || !IsFinite(d.Y) || !IsFinite(d.Width) || !IsFinite(d.Height))
            {
                if (nonFinite++ == 0)
                {
                    WriteError(Errors.Create("NonFiniteDetection", ErrorCategory.InvalidData, d, "A detection with a non-finite score or box is not written: " + d));
                }
                return;
            }
            if (!(CocoResultWriter.Round(d.Width, Decimals ?? -1) > 0 && CocoResultWriter.Round(d.Height, Decimals ?? -1) > 0))
            {
                if (emptyBoxes++ == 0) firstEmpty = d;
                return;
            }
            writer.Write(imageInfo != null ? WithImageInfoId(d) : d);
        }

        private CocoGroundTruth imageInfo;
        private readonly Dictionary<object, object> mappedIds = new Dictionary<object, object>();

        /// <summary>
        /// The detection with the -ImageInfo id of its image ("7.jpg" becomes 7: COCO-style servers read integer ids), as a copy,
        /// so the caller's object keeps its id. An id that names no image, or several, stops the export: nothing is written.
        /// </summary>
        private Detection WithImageInfoId(Detection d)
        {
            if (!mappedIds.TryGetValue(d.ImageId, out object id))
            {
                CocoImage image = null;
                try
                {
                    if (!imageInfo.TryFindImage(d.ImageId, out image))
                    {
                        ThrowTerminatingError(Errors.Create("ImageNotInImageInfo", ErrorCategory.ObjectNotFound, d.ImageId,
                            "Image " + ImageIds.Describe(d.ImageId) + " is not in the -ImageInfo images" + (imageInfo.Path != null ? " of '" + imageInfo.Path + "'" : "") +
                            "; nothing was written (a challenge server rejects results for unknown images)."));
                    }
                }
                catch (AmbiguousImageIdException e)
                {
                    ThrowTerminatingError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, e.ImageId, "-ImageInfo: " + e.Message + " Nothing was written.", e));
                }
                mappedIds.Add(d.ImageId, id = image.Id);
            }
            return id.Equals(d.ImageId) ? d : new Detection(id, d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height, d.Model);
        }

        protected override void EndProcessing()
        {
            if (!writing) return;
            try
            {
                writer.Complete();
                entry?.Dispose();
                zip?.Dispose();
                zip = null;
                entry = null;
                file.Commit();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create("FileWriteFailed", ErrorCategory.WriteError, target, "Cannot write '" + target + "': " + e.Message, e));
            }
            if (emptyBoxes > 0)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} detections with zero or negative width or height{2} were not written (first: {1}).", emptyBoxes, firstEmpty,
                    Decimals.HasValue ? " (rounded to " + Decimals.Value.ToString(CultureInfo.InvariantCulture) + " decimals)" : ""));
            }
            if (nonFinite > 1)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} detections with a non-finite score or box were not written.", nonFinite));
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Wrote {0} detections to '{1}'.", writer.Count, target));
            if (PassThru) WriteObject(new FileInfo(target));
        }

        private static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

        /// <summary>Called when the pipeline ends or is stopped: an uncommitted file is discarded.</summary>
        public void Dispose()
        {
            try { entry?.Dispose(); } catch (Exception) { }
            try { zip?.Dispose(); } catch (Exception) { }
            file?.Dispose();
            file = null;
        }
    }
}
