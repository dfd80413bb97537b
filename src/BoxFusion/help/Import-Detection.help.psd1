# Help for Import-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Reads COCO results files (or YOLO predictions) as BoxFusion.Detection objects.'

    Description = @'
Import-Detection streams the detections of one or more files into the pipeline as typed BoxFusion.Detection objects, ready for Merge-Detection, Measure-Detection or Export-Submission. Memory stays flat whatever the file size.

A COCO results file is a JSON list of records {"image_id", "category_id", "bbox": [x, y, width, height], "score"}, as written by mmdetection (bbox.json), Detectron2, YOLO exports (--save-json) and pycocotools. Numeric image ids stay numbers; string ids ("7.jpg") stay strings.

Each file is one model, named after the file's base name (yolox.json is the model 'yolox') unless -Model says otherwise. Merge-Detection tells models apart by that name.

A record that cannot be used (a missing field, a box that is not 4 numbers, a negative size, a non-finite number, a score, coordinate or size beyond 1e9) is skipped; each kind of problem is reported once per file as an error with the count and the first such record. A file that is not a results list at all (not JSON, truncated, a ground-truth file) is one error naming the byte and record where it went wrong; the records before that point are still passed on.

With -Format Yolo, Import-Detection reads Ultralytics prediction files instead: one .txt file per image, lines "class cx cy w h conf" relative to the image size. -ImageInfo gives the image sizes, the image of each file (000123.txt is the image whose file_name is 000123.*) and the category id of each class index.
'@

    Parameters  = @{
        Path        = @{
            Description = 'The files to read. Wildcards are expanded (a wildcard that matches nothing is an error, PathNotFound); a missing file is an error (FileNotFound) and the other files are still read. Also takes paths from the pipeline, as strings or Get-ChildItem output.'
            Default     = 'None'
        }
        LiteralPath = @{
            Description = 'Like -Path, but each name is used exactly as written: wildcard characters such as [ ] are not expanded. Get-ChildItem output binds to it by its PSPath property.'
            Default     = 'None'
        }
        Model       = @{
            Description = @'
The model names: one per file, in the order the files are read, or a single name for all of them (for example to treat test-time augmentations as one model). More files than names (with more than one name) is an error, ModelCountMismatch.

With -Format Yolo, all files of one call are one model; the default name is the run folder of an Ultralytics run (runs/detect/NAME/labels/*.txt gives NAME).
'@
            Default     = 'Each file''s base name'
        }
        Format      = @{
            Description = 'The file format: Coco, a COCO results list per file (one model per file); or Yolo, Ultralytics txt predictions (one file per image, saved with save_txt and save_conf), which needs -ImageInfo.'
            Default     = 'Coco'
        }
        ImageInfo   = @{
            Description = 'With -Format Yolo (required there): the COCO annotations file (a path or FileInfo), an object read from one, or its image records, giving each image''s id, file_name, width and height, and, from its categories in file order, the category id of each YOLO class index. Without categories, the class index is the category id. -Format Coco does not use it.'
            Default     = 'None'
        }
    }

    Inputs      = @(
        @{ Type = 'System.String'; Description = 'A path (or wildcard pattern) to read, bound to -Path.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'Files from Get-ChildItem or Get-Item, bound to -LiteralPath by their PSPath property.' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'One detection per usable record: ImageId, CategoryId, Score, X, Y, Width, Height (pixels), Model; MergedCount 0 and no SourceModels.' }
    )

    Notes       = @'
Scores above 1 are kept, with a warning per file: they are what WBF with unequal weights writes, and a results file may hold them legitimately.

Errors you can catch by id (with -ErrorAction Stop they end the command): FileNotFound, PathNotFound, PathIsNotAFile, ResultFile<Problem> (FileEmpty, NotJson, Truncated, NotAList, RecordNotAnObject, NonFiniteNumber, TrailingContent, RecordTooLarge), SkippedRecords<Problem> (MissingField, WrongType, BadBox, NonFiniteNumber, NegativeSize, ScoreOutOfRange, OutOfRange), ModelCountMismatch; with -Format Yolo also YoloNeedsImageInfo, ImageNotInImageInfo and SkippedLines<Problem>.

The alias Import-Detections also runs this cmdlet.
'@

    Examples    = @(
        @{
            Title   = 'Read three models'' results'
            Code    = @'
cd tests/data/sample
Import-Detection yolox.json, cascade.json, detr.json | Group-Object Model -NoElement
'@
            Remarks = @'
Each file is one model named after the file. The sample gives:

    Count Name
    ----- ----
     5855 yolox
     5855 cascade
     5895 detr
'@
        }
        @{
            Title   = 'Read every results file of a folder, naming the models'
            Code    = @'
Get-ChildItem ./results -Filter *.bbox.json | Import-Detection -Model frcnn, retina, yolo |
    Merge-Detection -Method WBF
'@
            Remarks = 'Get-ChildItem output binds to -LiteralPath. -Model gives one name per file, in the order the files are read; without it, the models would be named frcnn.bbox, retina.bbox and yolo.bbox.'
        }
        @{
            Title   = 'Import YOLO predictions'
            Code    = @'
Import-Detection -Path runs/detect/yolov8x/labels/*.txt -Format Yolo -ImageInfo instances_val.json
'@
            Remarks = 'Reads the txt files of an Ultralytics run (predict with save_txt=True save_conf=True) as the model yolov8x. Each file belongs to the image whose file_name has the same base name; boxes become pixels with that image''s size, and class index i becomes the id of the i-th category of instances_val.json.'
        }
        @{
            Title   = 'Stop at the first bad record'
            Code    = @'
try {
    Import-Detection submission.json -ErrorAction Stop | Measure-Object
}
catch {
    "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
}
'@
            Remarks = 'By default skipped records are reported and the rest of the file is read. With -ErrorAction Stop the first problem ends the command, and its error id (for example SkippedRecordsMissingField,BoxFusion.Commands.ImportDetectionCommand) says what went wrong.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Merge-Detection'
        'New-Detection'
        'Export-Submission'
        @{ Text = 'COCO results format'; Uri = 'https://cocodataset.org/#format-results' }
    )
}
