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
        private readonly System.Collections.Generic.HashSet<string> reported = new System.Collections.Generic.HashSet<string>();

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
            bool literal = ParameterSetName == LiteralPathSet;
            var resolved = PathResolver.ResolveForWriting(this, literal ? LiteralPath : Path, literal, Force);
            target = resolved.Path;
            bool asZip = Zip || target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
            CheckEntryName(asZip);
            if (!ShouldProcess(target, asZip ? "Write submission zip" : "Write submission")) return;
            int? permissions = null;
            if (resolved.Exists)
            {
                permissions = FileFacts.PermissionsOf(SessionState, resolved.File);
                long links = FileFacts.HardLinkCount(SessionState, resolved.File);
                if (links > 1)
                {
                    WriteWarning(string.Format(CultureInfo.InvariantCulture,
                        "'{0}' has {1} hard links: the new file replaces only this name; {2} the earlier content.", resolved.File, links, links == 2 ? "the other name keeps" : "the other " + (links - 1) + " names keep"));
                }
            }
            try
            {
                file = new AtomicFile(resolved.File, Force, permissions);
                Stream output = file.Stream;
                if (asZip)
                {
                    zip = new ZipArchive(file.Stream, ZipArchiveMode.Create, leaveOpen: true);
                    output = entry = zip.CreateEntry(EntryName, CompressionLevel.Optimal).Open();
                }
                writer = Decimals.HasValue ? new CocoResultWriter(output, Decimals.Value) : new CocoResultWriter(output);
                writing = true;
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                ThrowWriteFailed(e);
            }
        }

        /// <summary>The entry is one file at the top of the zip; on a JSON target -EntryName has nothing to name.</summary>
        private void CheckEntryName(bool asZip)
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(EntryName))) return;
            if (!asZip)
            {
                WriteWarning("-EntryName applies only to a zip (a .zip path or -Zip); '" + target + "' is written as plain JSON.");
                return;
            }
            string name = EntryName;
            if (name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0 || name == "." || name == ".." || name.IndexOf(':') >= 0 || name.Trim().Length == 0)
            {
                ThrowTerminatingError(Errors.InvalidArgument("InvalidEntryName", nameof(EntryName), EntryName,
                    "-EntryName '" + EntryName + "' is not a plain file name: the entry is one file at the top of the zip, such as submission.json (no folder, '..' or drive)."));
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
            // The rules every input path applies (DetectionRules); a negative size is an empty box, counted below.
            string problem = DetectionRules.Problem(d, out var kind);
            if (problem != null && kind != RecordProblem.NegativeSize)
            {
                nonFinite++;
                string errorId = kind == RecordProblem.NonFiniteNumber ? "NonFiniteDetection" : "InvalidDetection";
                if (reported.Add(errorId))
                {
                    WriteError(Errors.Create(errorId, ErrorCategory.InvalidData, d, "A detection is not written (" + problem + "): " + d));
                }
                return;
            }
            if (!(CocoResultWriter.Round(d.Width, Decimals ?? -1) > 0 && CocoResultWriter.Round(d.Height, Decimals ?? -1) > 0))
            {
                if (emptyBoxes++ == 0) firstEmpty = d;
                return;
            }
            try
            {
                writer.Write(imageInfo != null ? WithImageInfoId(d) : d);
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                ThrowWriteFailed(e);
            }
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
            if (id.Equals(d.ImageId)) return d;
            var copy = d.Clone(); // all of it: the mask is written too
            copy.ImageId = id;
            return copy;
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
            catch (TargetExistsException)
            {
                ThrowTerminatingError(Errors.Create("FileExists", ErrorCategory.ResourceExists, target,
                    "'" + target + "' appeared while the submission was being written; it was left as it is. Use -Force to replace it."));
            }
            catch (Exception e) when (IsWriteFailure(e))
            {
                ThrowWriteFailed(e);
            }
            if (emptyBoxes > 0)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} detections with zero or negative width or height{2} were not written (first: {1}).", emptyBoxes, firstEmpty,
                    Decimals.HasValue ? " (rounded to " + Decimals.Value.ToString(CultureInfo.InvariantCulture) + " decimals)" : ""));
            }
            if (nonFinite > reported.Count)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} detections with a non-finite or out-of-range score or box were not written.", nonFinite));
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Wrote {0} detections to '{1}'.", writer.Count, target));
            if (PassThru) WriteObject(new FileInfo(target));
        }

        /// <summary>
        /// What a full disk, a removed folder or a file-size limit throws while writing: the runtime reports a size
        /// limit (EFBIG) as ArgumentOutOfRangeException, and a formatting worker's failure comes wrapped.
        /// </summary>
        private static bool IsWriteFailure(Exception e)
        {
            e = Unwrap(e);
            return e is IOException || e is UnauthorizedAccessException || e is ArgumentOutOfRangeException;
        }

        private static Exception Unwrap(Exception e) => e is AggregateException a && a.InnerExceptions.Count == 1 ? a.InnerException : e;

        private void ThrowWriteFailed(Exception e)
        {
            e = Unwrap(e);
            ThrowTerminatingError(Errors.Create("FileWriteFailed", ErrorCategory.WriteError, target, "Cannot write '" + target + "': " + e.Message, e));
        }

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
