# Help for Merge-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Fuses the detections of several models, image by image, with Weighted Boxes Fusion, NMS, Soft-NMS or NMW.'

    Description = @'
Merge-Detection collects detections (from the pipeline, or read from COCO results files with -Path), groups them by image and fuses each image's boxes with the method chosen by -Method. The results equal those of the Python package ensemble-boxes 1.0.9, without its known defects (see about_BoxFusion).

Boxes stay in pixels: unlike ensemble-boxes, there is nothing to normalise. With -ImageInfo (for example the ground truth's gt.json) boxes are first clipped to their image, exactly as ensemble-boxes does after normalising.

Models are told apart by each detection's Model property, ignoring case; Import-Detection sets it to the file's base name (yolox.json is the model 'yolox'), or to the run folder when files share a name (work_dirs/yolox/results.bbox.json). The model order, which a -Weight list follows, is the order in which models first appear in the input.

The methods:
- WBF (default): Weighted Boxes Fusion. Boxes of one category whose IoU with a cluster's fused box is above -IouThreshold join that cluster; each cluster becomes one box whose coordinates are the score- and weight-weighted average of its members, and whose score follows -ConfidenceType. Best for ensembles of different models.
- NMS: keeps the highest-scored box and removes every box that overlaps it by more than -IouThreshold. Best for one model, or test-time augmentation.
- SoftNMS: instead of removing overlapping boxes, lowers their scores (-SoftNmsFunction, -Sigma), then drops the boxes whose score fell to -ScoreThreshold or below. Best when objects of one class overlap (crowds, shelves).
- NMW: non-maximum weighted. Clusters like NMS, but the kept box moves to the IoU- and score-weighted average of its cluster, and keeps the first box's score. A middle ground between NMS and WBF.

Instance masks (Detection.Mask, read from the results' segmentation) are fused too, per cluster, while boxes and scores are exactly as without masks. WBF and NMW vote pixel by pixel: a pixel is in the fused mask when the members covering it hold at least -MaskThreshold of the cluster's weight (the same weights that average the coordinates: score times model weight, times the IoU with the first box for NMW). NMS and SoftNMS keep each kept detection's own mask. The work is done on run lengths, never on bitmaps. When only some detections have masks, each fused mask comes from the masked members of its cluster and one warning gives the count. A mask whose size differs from its image's (-ImageInfo, else the image's first mask) leaves its detection out, with one error MaskSizeMismatch for all of them; polygon masks are rasterised for the image size (error PolygonMaskWithoutImageSize when none is known).

Every fused detection says where it came from: Model is the method name, MergedCount the number of input boxes fused into it and SourceModels the distinct models that contributed. Output comes image by image, in the order images first appeared, and within an image by fused score, highest first (ties in input order); it is the same whatever -ThrottleLimit is. Input objects are never changed.
'@

    Parameters  = @{
        InputObject           = @{
            Description = 'The detections to fuse, usually from Import-Detection or New-Detection (deserialized detections from Import-Clixml are converted). $null is ignored; a detection without an image id is reported (error DetectionWithoutImageId) and skipped.'
            Default     = 'None'
        }
        Path                  = @{
            Description = @'
COCO results files to read directly, each as one model, named as Import-Detection names them (yolox.json is yolox; work_dirs/yolox/results.bbox.json is yolox too) or by -Model. This is faster than piping Import-Detection. Wildcards are expanded.

When you also give -Weight as a list, name the files explicitly so that their order (the model order) is the one you mean, or give -Weight as a hashtable.
'@
            Default     = 'None'
        }
        LiteralPath           = @{
            Description = 'Like -Path, but each name is used exactly as written: wildcard characters such as [ ] are not expanded.'
            Default     = 'None'
        }
        Model                 = @{
            Description = 'The model names of the -Path or -LiteralPath files, as Import-Detection -Model: one per file, in the order the files are read, or one for all. Files of real layouts that share a name (work_dirs/*/results.bbox.json) are named by their folders by default; files that cannot be told apart are an error, DuplicateModelName.'
            Default     = 'As Import-Detection: the base name without .bbox, .segm or .proposal, or the nearest folder that differs'
        }
        Method                = @{
            Description = 'The fusion method: WBF (Weighted Boxes Fusion), NMS, SoftNMS or NMW (non-maximum weighted). See the description, and about_BoxFusion for when to choose which.'
            Default     = 'WBF'
        }
        IouThreshold          = @{
            Description = @'
The overlap (intersection over union) above which two boxes of the same category belong together: they are fused (WBF, NMW), the lower one is removed (NMS) or its score is decayed (SoftNMS with -SoftNmsFunction Linear; the Gaussian decay does not use it). ensemble-boxes calls it iou_thr.

Lower values merge more boxes: right for models whose boxes for one object disagree, wrong for crowded scenes where distinct objects overlap. Values between 0.5 and 0.7 are usual; tune it with Optimize-Fusion.
'@
            Default     = '0.55 for WBF and NMW, 0.5 for NMS and SoftNMS'
        }
        SkipBoxThreshold      = @{
            Description = @'
WBF and NMW: input boxes whose own score (before any weight) is below this are dropped before fusion. ensemble-boxes calls it skip_box_thr.

Raising it removes low-confidence noise and makes fusion faster, but WBF's averaged scores reward boxes that several models found even at low confidence, so small values (0.0001 to 0.05) usually score best. NMS and SoftNMS ignore it.
'@
            Default     = '0'
        }
        ConfidenceType        = @{
            Description = @'
WBF: how a cluster's fused score is computed from its members' weighted scores s*w (ensemble-boxes' conf_type). n is the number of boxes in the cluster, K the number of models and W the sum of all models' weights.
- Avg: the mean of s*w, times min(K, n) / W, so a cluster with fewer boxes than there are models scores lower. With unequal weights the score can exceed 1 (a warning says so).
- Max: the largest s*w, divided by the largest weight.
- BoxAndModelAvg: the mean, rescaled by the weights of the boxes in the cluster and of the distinct models that contributed. Stays in [0, 1].
- AbsentModelAwareAvg: the mean, rescaled so that the models with no box in the cluster count against it. Stays in [0, 1].

The other methods ignore it.
'@
            Default     = 'Avg'
        }
        AllowOverflow         = @{
            Description = 'WBF with -ConfidenceType Avg: scale the score by the number of boxes in the cluster, n / W, instead of min(K, n) / W, so that a cluster with more boxes than models can score above 1 (ensemble-boxes'' allows_overflow).'
            Default     = 'False'
        }
        Weight                = @{
            Description = @'
Per-model weights: a list of numbers in model order (the order in which models first appear in the input), or a hashtable @{ model = weight } naming models (case-insensitive; models it does not name get 1). Press Tab after -Weight to get a hashtable of the models: those named by the files of the same pipeline, or those of the detections in a variable the pipeline starts with ($d | Merge-Detection -Weight <Tab>) or given to -InputObject.

A model with twice the weight counts twice as much: WBF multiplies each score by its model's weight, NMW does so after dividing the weights by the largest, and NMS and SoftNMS rank boxes by s*w / (sum of weights). Weights must be numbers from 0 to 1e9 (only their ratios matter), with at least one above 0; a model with weight 0 contributes nothing. An empty weight ($null or ''), a list of the wrong length, or a name that is not a model of the input, is an error (InvalidWeight).
'@
            Default     = '1 for every model'
            AcceptedValues = 'a list of numbers (one per model) or a hashtable of model name to number'
        }
        ImageInfo             = @{
            Description = @'
The image sizes, to clip boxes to their image before fusion: a COCO annotations file (a path or a FileInfo, such as the ground truth gt.json; only its 'images' are read), an object or hashtable read from such a file, or image records (objects or hashtables with id, width and height, and optionally file_name). Each record must have an integer or string id of its own and a positive finite width and height; the first that does not stops the command with ImageInfoInvalid, naming the record.

Text image ids find their image by file_name (about_BoxFusion, IMAGE IDS). Detections of an image it does not list are reported (one error ImageNotInImageInfo for all of them, with the count and the first ids) and left out, because a challenge server rejects results for unknown images; an id that fits several images stops the command (AmbiguousImageId).
'@
            Default     = 'None (boxes are not clipped)'
        }
        SoftNmsFunction       = @{
            Description = 'SoftNMS: how an overlapping box''s score s is decayed, where o is its IoU with the box just kept. Gaussian: s * exp(-o^2 / Sigma), for every box. Linear: s * (1 - o), only when o is above -IouThreshold. ensemble-boxes'' method 2 and 1.'
            Default     = 'Gaussian'
        }
        Sigma                 = @{
            Description = 'SoftNMS with -SoftNmsFunction Gaussian: the sigma of the decay s * exp(-IoU^2 / sigma). Smaller values decay overlapping boxes harder, towards NMS; larger values keep more of them.'
            Default     = '0.5'
            AcceptedValues = 'a number greater than 0'
        }
        ScoreThreshold        = @{
            Description = 'SoftNMS: after decaying, only boxes whose decayed score is greater than this are kept (ensemble-boxes'' thresh). The other methods ignore it; use -SkipBoxThreshold for WBF and NMW.'
            Default     = '0.001'
        }
        ClassAgnostic         = @{
            Description = 'Fuse boxes of different categories together, for models that disagree about the class of one object. A fused box takes the category with the highest sum of weighted scores among its members. Not in ensemble-boxes.'
            Default     = 'False'
        }
        MaxDetectionsPerImage = @{
            Description = 'Keep at most this many fused boxes per image, the highest scored. COCO evaluation looks at the best 100 per image, and many challenges limit submissions to 100 per image.'
            Default     = '0 (all fused boxes are kept)'
        }
        MinVotes              = @{
            Description = 'Keep only the fused boxes that at least this many distinct models contributed to: 2 drops every box that only one model found. Only models with a weight above 0 vote: a number above theirs warns, since no box can pass. Cannot be used with -Voting.'
            Default     = '1'
        }
        Voting                = @{
            Description = 'Sets -MinVotes from the number of models with a weight above 0: Affirmative (1 model is enough), Consensus (at least half of the models, rounded up) or Unanimous (every model). These are the ensemble strategies of Casado-Garcia and Heras. Cannot be used with -MinVotes.'
            Default     = 'Affirmative (that is, -MinVotes 1)'
        }
        MaskThreshold         = @{
            Description = 'WBF and NMW with masks: the share of a cluster''s weight that the members covering a pixel must hold for the pixel to be in the fused mask. 0.5 is a weighted majority; lower values give larger masks (towards the union), higher ones smaller (towards the intersection). Ignored, with a warning, by NMS and SoftNMS, which keep the kept detection''s mask.'
            Default     = '0.5'
            AcceptedValues = 'above 0, at most 1'
        }
        ClusterBy             = @{
            Description = @'
Box (default) decides which detections cluster (or, for NMS and SoftNMS, suppress each other) by the IoU of their boxes, as ensemble-boxes does. Mask uses the IoU of their masks when both have one: a detection is compared with the mask of its cluster's first (best) detection, and pairs where either has no mask fall back to their boxes. Boxes, scores and fused masks are then computed exactly as with Box; only who joins whom changes.

Mask helps where different objects of one class have overlapping boxes but separate pixels: people in a crowd, one behind another, thin diagonal objects (poles, bats, skis) whose boxes overlap a lot while their masks hardly touch. There box IoU merges different objects into one, and mask IoU keeps them apart. It costs a run-length IoU per comparison, so fusion is slower. -IouThreshold then applies to mask IoU.
'@
            Default     = 'Box'
        }
        ThrottleLimit         = @{
            Description = 'The number of threads that fuse images in parallel, and the most -Path files parsed at once. The output, its errors and its warnings are the same, in the same order, whatever the value.'
            Default     = 'The number of processor cores'
        }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'Detections, from Import-Detection, New-Detection or an earlier Merge-Detection.' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'The fused detections: Model is the method name (WBF, NMS, SoftNMS or NMW), MergedCount the number of input boxes in each, SourceModels the models that contributed.' }
    )

    Notes       = @'
Merge-Detection keeps every input detection until the input ends, then fuses all images on several threads and writes the results. Press Ctrl+C to stop it; a progress bar appears when fusion takes more than half a second.

With -Path, memory stays flat when the files are grouped by image (each image's records together, in any image order, as mmdetection, detectron2 and YOLO write them): above 1,000,000 detections Merge-Detection lets go of them and, once it has read every file and found it grouped, fuses by reading the files again side by side, holding only the images in flight. The output is the same bytes either way. A file that is not grouped, or that has instance masks, is fused in memory (-Verbose says which way and why); when that shows only after the detections were let go, they are read again once, with a warning. Images that an earlier file lacks wait in memory until that file's images are done, since their place in the output is after them. The environment variable BOXFUSION_STREAM_THRESHOLD sets another number of detections (0 streams any grouped files). A file that changes between the two readings stops the command (error ResultFileChanged).

WBF with -ConfidenceType Avg and unequal weights can give scores above 1, as ensemble-boxes does; Merge-Detection then warns once with the count. Use -ConfidenceType BoxAndModelAvg or AbsentModelAwareAvg to keep scores in [0, 1].

Errors you can catch by id: InvalidWeight, VotingConflict, ImageInfoInvalid, ImageNotInImageInfo, AmbiguousImageId (terminating: a text image id that fits several -ImageInfo images), DetectionWithoutImageId, MaskSizeMismatch, PolygonMaskWithoutImageSize, InvalidDetection (an input with a NaN, infinite or negative score or size, or a number beyond 1e9: left out), and with -Path the file errors of Import-Detection (FileNotFound, PathNotFound, PathIsNotAFile, NotARegularFile, ResultFile<Problem>, SkippedRecords<Problem>, ModelCountMismatch, DuplicateModelName) and ResultFileChanged (terminating: a streamed file changed between its two readings). A bad -ImageInfo path is terminating: ImageInfoNotFound, PathIsNotAFile, NotARegularFile, NotAFileSystemPath, ImageInfoInvalid.

The parameter aliases IouThr, SkipBoxThr and ConfType follow ensemble-boxes' argument names. The alias Merge-Detections also runs this cmdlet.
'@

    Examples    = @(
        @{
            Title   = 'Fuse three models with WBF, one weighted double, into a submission'
            Code    = @'
cd tests/data/sample
Import-Detection yolox.json, cascade.json, detr.json |
    Merge-Detection -Method WBF -IouThreshold 0.6 -SkipBoxThreshold 0.01 -Weight 2, 1, 1 -ImageInfo gt.json |
    Export-Submission -Path submission.json
'@
            Remarks = 'Import-Detection names the models yolox, cascade and detr, in that order, so the weights 2, 1, 1 give yolox twice the say of each other model. -ImageInfo gt.json clips the boxes to the image sizes of the ground truth. The sample fuses 17,605 detections into 14,169; Merge-Detection warns that 3 fused scores are above 1 (Avg with unequal weights).'
        }
        @{
            Title   = 'Read the files directly and weight models by name'
            Code    = @'
Merge-Detection -Path yolox.json, cascade.json, detr.json -Weight @{ yolox = 2 } -ConfidenceType BoxAndModelAvg -ImageInfo gt.json |
    Export-Submission submission.zip
'@
            Remarks = 'With -Path, Merge-Detection reads the files itself, which is faster than piping Import-Detection. The hashtable gives yolox weight 2 and every model it does not name weight 1. BoxAndModelAvg keeps the fused scores in [0, 1]. A .zip path makes Export-Submission write a zip holding submission.json.'
        }
        @{
            Title   = 'Compare the four methods on a validation set'
            Code    = @'
$detections = Import-Detection yolox.json, cascade.json, detr.json
foreach ($method in 'WBF', 'NMS', 'SoftNMS', 'NMW') {
    $detections | Merge-Detection -Method $method -Weight 2, 1, 1 -ImageInfo gt.json -WarningAction SilentlyContinue |
        Measure-Detection -GroundTruth gt.json |
        Select-Object @{ n = 'Method'; e = { $method } }, AP, AP50, AR100
}
'@
            Remarks = 'Import the files once and fuse them four times. Measure-Detection scores each result with COCO mAP against the ground truth. Optimize-Fusion automates this search over methods and parameters.'
        }
        @{
            Title   = 'Soft-NMS over the test-time augmentations of one detector'
            Code    = @'
Import-Detection tta/original.json, tta/hflip.json, tta/scale125.json -Model yolox |
    Merge-Detection -Method SoftNMS -SoftNmsFunction Gaussian -Sigma 0.5 -ScoreThreshold 0.01 -MaxDetectionsPerImage 100
'@
            Remarks = '-Model yolox names all three files as one model, so they count as one model for -Weight and -MinVotes. Soft-NMS suits one model''s predictions and objects that overlap: close boxes lose score instead of disappearing. -MaxDetectionsPerImage 100 keeps the 100 best boxes of each image, as COCO evaluation counts.'
        }
        @{
            Title   = 'Keep only the boxes most models agree on'
            Code    = @'
Import-Detection yolox.json, cascade.json, detr.json |
    Merge-Detection -Voting Consensus |
    Group-Object { $_.SourceModels.Count } -NoElement
'@
            Remarks = 'With three models, -Voting Consensus keeps the fused boxes that at least two models contributed to (the same as -MinVotes 2). Group-Object shows how many fused boxes came from two and from three models.'
        }
        @{
            Title   = 'Find out why a fused box exists'
            Code    = @'
Import-Detection yolox.json, cascade.json, detr.json | Merge-Detection |
    Where-Object { $_.MergedCount -ge 3 -and $_.SourceModels -notcontains 'detr' } |
    Select-Object -First 5 ImageId, CategoryId, Score, MergedCount, SourceModels
'@
            Remarks = 'MergedCount is the number of input boxes fused into a box and SourceModels the models they came from: here, boxes that yolox and cascade found together but detr missed.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Import-Detection'
        'New-Detection'
        'Measure-Detection'
        'Optimize-Fusion'
        'Export-Submission'
        @{ Text = 'ensemble-boxes (Weighted Boxes Fusion)'; Uri = 'https://github.com/ZFTurbo/Weighted-Boxes-Fusion' }
    )
}
