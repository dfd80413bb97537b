using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
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

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
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
                writer = new CocoResultWriter(output);
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
            if (!(d.Width > 0 && d.Height > 0))
            {
                if (emptyBoxes++ == 0) firstEmpty = d;
                return;
            }
            writer.Write(d);
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
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} detections with zero or negative width or height were not written (first: {1}).", emptyBoxes, firstEmpty));
            }
            if (nonFinite > reported.Count)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} detections with a non-finite or out-of-range score or box were not written.", nonFinite));
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Wrote {0} detections to '{1}'.", writer.Count, target));
            if (PassThru) WriteObject(new FileInfo(target));
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
