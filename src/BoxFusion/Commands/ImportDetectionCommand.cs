using System.Collections.Generic;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>Reads COCO results files (JSON lists of {image_id, category_id, bbox, score}) as typed detections.</summary>
    [Cmdlet(VerbsData.Import, "Detection", DefaultParameterSetName = PathSet)]
    [Alias("Import-Detections")]
    [OutputType(typeof(Detection))]
    public sealed class ImportDetectionCommand : PSCmdlet, System.IDisposable
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private ResultFileImport import;
        private readonly List<string> pending = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>Model names: one per file in order, or one for all. Default: see <see cref="ModelNames"/>. Named only, so a forgotten comma between two paths is an error, not a model name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Model { get; set; }

        /// <summary>Coco: COCO results lists (default). Yolo: YOLO txt predictions, one file per image (needs -ImageInfo).</summary>
        [Parameter]
        public DetectionFileFormat Format { get; set; } = DetectionFileFormat.Coco;

        /// <summary>For -Format Yolo: the COCO annotations file (or its images) giving image sizes, ids and categories.</summary>
        [Parameter]
        public object ImageInfo { get; set; }

        private YoloImport yolo;

        protected override void BeginProcessing()
        {
            import = new ResultFileImport(this, 1);
            if (Format == DetectionFileFormat.Coco && ImageInfo != null)
            {
                WriteWarning("-ImageInfo is only used with -Format Yolo; COCO results carry pixel boxes and image ids. To clip boxes to their images, give -ImageInfo to Merge-Detection.");
            }
            if (Format == DetectionFileFormat.Yolo)
            {
                if (ImageInfo == null)
                {
                    ThrowTerminatingError(Errors.InvalidArgument("YoloNeedsImageInfo", "ImageInfo", null,
                        "-Format Yolo needs -ImageInfo (a COCO annotations file): YOLO boxes are relative to image sizes, and files are named after images."));
                }
                if (Model != null && Model.Length > 1)
                {
                    // YOLO writes one txt per image, so the files of one call are one model: a second name would be dropped.
                    ThrowTerminatingError(Errors.InvalidArgument("ModelCountMismatch", "Model", Model,
                        "-Format Yolo reads all files of one call as one model, but " + Model.Length + " model names were given; give one -Model name, and import each model's folder with its own call."));
                }
                yolo = new YoloImport(this, ImageInfoSource.Resolve(this, ImageInfo, nameof(ImageInfo), imagesOnly: false));
            }
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            List<string> files = PathResolver.ResolveExisting(this, literal ? LiteralPath : Path, literal, yolo != null ? yolo.FilesOf : (System.Func<string, List<string>>)null);
            if (yolo == null)
            {
                // A file's default name depends on the other files of the command (two results.bbox.json are named
                // by their folders), and Get-ChildItem sends one file per record: read them all once they are known.
                pending.AddRange(files);
                return;
            }
            // All files of one call are one model's predictions, one file per image.
            foreach (var file in files)
            {
                if (Stopping) throw new PipelineStoppedException(); // YOLO files without detections write nothing that would notice
                yolo.Read(file, Model != null && Model.Length > 0 ? Model[0] : YoloImport.ModelNameOf(file), WriteObject);
            }
        }

        protected override void EndProcessing()
        {
            if (yolo != null)
            {
                yolo.Complete();
                return;
            }
            var names = ModelNaming.NamesFor(this, pending, Model);
            import.Read(pending, names, 0, WriteObject);
            import.Complete();
        }

        protected override void StopProcessing()
        {
            import?.Stop();
        }

        public void Dispose()
        {
            import?.Dispose();
            System.GC.SuppressFinalize(this);
        }
    }

    /// <summary>The file formats Import-Detection reads.</summary>
    public enum DetectionFileFormat
    {
        Coco,
        Yolo,
    }
}
