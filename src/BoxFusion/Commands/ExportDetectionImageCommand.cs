using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Draws detections (and comparison rows from Compare-Detection, and the ground truth) onto their images, one PNG per
    /// image, in parallel; images without a file are drawn on a blank canvas of their size.
    /// </summary>
    [Cmdlet(VerbsData.Export, "DetectionImage", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportDetectionImageCommand : PSCmdlet, IDisposable
    {
        private readonly List<ImageInput> images = new List<ImageInput>();
        private readonly Dictionary<object, ImageInput> byKey = new Dictionary<object, ImageInput>();
        private readonly List<object> unknownImages = new List<object>();
        private readonly HashSet<object> unknownSet = new HashSet<object>();
        private readonly CancellationTokenSource cancel = new CancellationTokenSource();
        private CocoGroundTruth info;
        private string folder, imageFolder;
        private object settings;   // PictureSettings: typed as object so this class never names a graphics type
        private int badInput;

        /// <summary>Detections (from Import-Detection, Merge-Detection, New-Detection) or rows of Compare-Detection.</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public object InputObject { get; set; }

        /// <summary>The folder the pictures are written to (created when its parent exists).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>A COCO annotations file: its boxes are drawn too, and its images give file names and sizes.</summary>
        [Parameter]
        [ValidateNotNull]
        public object GroundTruth { get; set; }

        /// <summary>Image file names and sizes only (a COCO file, or image records), when no ground truth is drawn.</summary>
        [Parameter]
        [ValidateNotNull]
        public object ImageInfo { get; set; }

        /// <summary>Where the images are, by the ground truth's file_name; an image not found is drawn on a blank canvas.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ImageFolder { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[] ImageId { get; set; }

        /// <summary>The first N images only; 0 (not given) is all.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double MinScore { get; set; }

        /// <summary>Colours by model name, such as @{ yolox = 'red'; WBF = '#1F77B4' }; other models take the palette's.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable Color { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string GroundTruthColor { get; set; } = "#000000";

        /// <summary>The colour of a blank canvas.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string BackgroundColor { get; set; } = "#FFFFFF";

        /// <summary>Line width in pixels; 0 picks one from the image size.</summary>
        [Parameter]
        [ValidateRange(0.0, 100.0)]
        public double LineWidth { get; set; }

        /// <summary>Label text size in pixels; 0 picks one from the image size.</summary>
        [Parameter]
        [ValidateRange(0.0, 400.0)]
        public double FontSize { get; set; }

        [Parameter]
        public SwitchParameter NoLabel { get; set; }

        [Parameter]
        public SwitchParameter NoLegend { get; set; }

        /// <summary>Leaves instance masks unfilled: detections that have them are drawn as boxes only.</summary>
        [Parameter]
        public SwitchParameter NoMask { get; set; }

        /// <summary>Pictures drawn at once; 0 (not given) is one per processor.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (File.Exists(folder))
                ThrowTerminatingError(Errors.Create("PathIsAFile", ErrorCategory.InvalidArgument, folder, "'" + folder + "' is a file; -Path takes the folder to write the pictures to."));
            string parent = System.IO.Path.GetDirectoryName(folder);
            if (!Directory.Exists(folder) && (parent == null || !Directory.Exists(parent)))
                ThrowTerminatingError(Errors.Create("FolderNotFound", ErrorCategory.ObjectNotFound, folder, "Neither the folder '" + folder + "' nor its parent exists."));
            if (ImageFolder != null)
            {
                imageFolder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ImageFolder);
                if (!Directory.Exists(imageFolder))
                    ThrowTerminatingError(Errors.Create("ImageFolderNotFound", ErrorCategory.ObjectNotFound, imageFolder, "-ImageFolder: the folder '" + imageFolder + "' does not exist."));
            }
            GraphicsLoader.Require(this);
            if (GroundTruth != null) info = ImageInfoSource.Resolve(this, GroundTruth, nameof(GroundTruth), imagesOnly: false, needsAnnotations: true);
            else if (ImageInfo != null) info = ImageInfoSource.Resolve(this, ImageInfo, nameof(ImageInfo), imagesOnly: true);
            settings = DetectionImageSettings.Create(this, info, GroundTruth != null);
        }

        protected override void ProcessRecord()
        {
            object item = InputObject is PSObject ps ? ps.BaseObject : InputObject;
            switch (item)
            {
                case null: return;
                case Detection d:
                    if (d.ImageId == null) { WriteError(Errors.Create("DetectionWithoutImageId", ErrorCategory.InvalidData, d, "A detection without an image id cannot be drawn: " + d)); return; }
                    var forDetection = Find(d.ImageId);
                    if (forDetection == null) return;
                    forDetection.Detections.Add(d);
                    DetectionImageSettings.NoteModel(settings, d.Model ?? "");
                    return;
                case DetectionMatch m:
                    var forMatch = Find(m.ImageId, m.Image);
                    if (forMatch != null) forMatch.Matches.Add(m);
                    return;
                default:
                    if (badInput++ == 0)
                        WriteError(Errors.Create("InputNotDetection", ErrorCategory.InvalidArgument, item,
                            "Export-DetectionImage draws detections and Compare-Detection rows; got a " + item.GetType().FullName + ". Such input is skipped."));
                    return;
            }
        }

        /// <summary>
        /// The image an id belongs to (created on first sight), or null when the image info lacks it. Without image info,
        /// a Compare-Detection row's own image record gives the file name and size.
        /// </summary>
        private ImageInput Find(object id, CocoImage known = null)
        {
            CocoImage image = null;
            try
            {
                if (info != null && !info.TryFindImage(id, out image))
                {
                    if (unknownSet.Add(id)) unknownImages.Add(id);
                    return null;
                }
            }
            catch (AmbiguousImageIdException e)
            {
                if (unknownSet.Add(id))
                    WriteError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, e.ImageId, e.Message + " Its detections are not drawn."));
                return null;
            }
            object key = (object)image ?? id;
            if (!byKey.TryGetValue(key, out var input))
            {
                byKey.Add(key, input = new ImageInput(image?.Id ?? id, image));
                images.Add(input);
            }
            if (input.Image == null && known != null) input.Image = known;
            return input;
        }

        protected override void EndProcessing()
        {
            if (unknownImages.Count > 0)
            {
                string where = info.Path == null ? " -" + (GroundTruth != null ? nameof(GroundTruth) : nameof(ImageInfo)) : " '" + info.Path + "'";
                WriteError(Errors.Create("ImageNotInImageInfo", ErrorCategory.ObjectNotFound, unknownImages[0], string.Format(CultureInfo.InvariantCulture,
                    "{0} image(s) are not in{1} (first: {2}); their detections were not drawn. The other images are.",
                    unknownImages.Count, where, string.Join(", ", unknownImages.Take(5).Select(ImageIds.Describe)))));
            }
            var chosen = ChooseImages();
            if (chosen.Count == 0) return;
            bool folderReady = Directory.Exists(folder);
            if (!folderReady && ShouldProcess(folder, "Create folder"))
            {
                try
                {
                    Directory.CreateDirectory(folder);
                    folderReady = true;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(Errors.Create("FolderNotCreated", ErrorCategory.WriteError, folder, "Cannot create the folder '" + folder + "': " + e.Message, e));
                }
            }
            // planned even without the folder, so -WhatIf names every picture it would draw
            var jobs = DetectionImageSettings.PlanJobs(this, settings, chosen, imageFolder, folder, Force.IsPresent, out var blanks);
            if (jobs.Count == 0 || !folderReady) return;
            int written = 0;
            try
            {
                OrderedParallel.Run(jobs.Count, ThrottleLimit > 0 ? ThrottleLimit : Environment.ProcessorCount, i => DetectionImageSettings.RunJob(jobs[i]), (i, result) =>
                {
                    if (result is ErrorRecord error) WriteError(error);
                    else
                    {
                        written++;
                        if (PassThru) WriteObject(result);
                    }
                    if (jobs.Count > 1)
                        WriteProgress(new ProgressRecord(5, "Drawing detections", string.Format(CultureInfo.InvariantCulture, "{0} of {1} images", i + 1, jobs.Count))
                        { PercentComplete = 100 * (i + 1) / jobs.Count });
                }, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            if (jobs.Count > 1) WriteProgress(new ProgressRecord(5, "Drawing detections", "Done") { RecordType = ProgressRecordType.Completed });
            if (blanks.Count > 0 && imageFolder != null)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "{0} image(s) were not found in '{1}' and were drawn on a blank canvas (first: {2}).",
                    blanks.Count, imageFolder, string.Join(", ", blanks.Take(5).Select(ImageIds.Describe))));
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Wrote {0} picture(s) to '{1}'.", written, folder));
        }

        /// <summary>-ImageId's images (even without detections), else the input's in order (else the ground truth's), cut to -First.</summary>
        private List<ImageInput> ChooseImages()
        {
            var chosen = new List<ImageInput>();
            if (ImageId != null)
            {
                foreach (object raw in ImageId)
                {
                    object id = raw is PSObject p ? p.BaseObject : raw;
                    object normalized;
                    try { normalized = ImageIds.Normalize(id); }
                    catch (ArgumentException e) { WriteError(Errors.InvalidArgument("ImageIdInvalid", nameof(ImageId), id, e.Message)); continue; }
                    ImageInput input = null;
                    CocoImage image = null;
                    try
                    {
                        if (info != null && info.TryFindImage(normalized, out image)) byKey.TryGetValue(image, out input);
                    }
                    catch (AmbiguousImageIdException e)
                    {
                        WriteError(Errors.InvalidArgument("AmbiguousImageId", nameof(ImageId), normalized, "-ImageId: " + e.Message));
                        continue;
                    }
                    if (info == null) byKey.TryGetValue(normalized, out input);
                    if (input == null && image != null) input = new ImageInput(image.Id, image);
                    if (input == null)
                    {
                        WriteError(Errors.Create("ImageIdNotFound", ErrorCategory.ObjectNotFound, normalized, "-ImageId " + ImageIds.Describe(normalized) +
                            (info != null ? " is not in the image info" : " has no detections in the input") + "; it is not drawn."));
                        continue;
                    }
                    if (!chosen.Contains(input)) chosen.Add(input);
                }
            }
            else if (images.Count > 0) chosen.AddRange(images);
            else if (info != null && GroundTruth != null) chosen.AddRange(info.Images.Select(image => new ImageInput(image.Id, image)));
            if (First > 0 && chosen.Count > First) chosen.RemoveRange(First, chosen.Count - First);
            return chosen;
        }

        protected override void StopProcessing() => cancel.Cancel();

        public void Dispose() => cancel.Dispose();
    }
}
