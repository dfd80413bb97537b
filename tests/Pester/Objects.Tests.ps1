# The objects users type at: view headers they can name, per-category rows, readable CSV/JSON,
# views that survive Export-Clixml, and -Weight completion from a variable.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    [xml] $format = Get-Content (Join-Path $RepoRoot 'src/BoxFusion/BoxFusion.Format.ps1xml') -Raw
    $viewCases = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        if (-not $view.TableControl) { continue }
        $headers = $view.TableControl.TableHeaders.TableColumnHeader
        $items = $view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem
        $names = for ($i = 0; $i -lt @($headers).Count; $i++) {
            if (@($headers)[$i].Label) { @($headers)[$i].Label } else { @($items)[$i].PropertyName }
        }
        foreach ($type in $view.ViewSelectedBy.TypeName) { @{ View = $view.Name; TypeName = $type; Headers = @($names) } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $all = Import-Detection $SampleModels
    $fused = $all | Merge-Detection -ImageInfo $SampleTruth
    $result = $all | Measure-Detection -GroundTruth $SampleTruth
    $perCategory = Import-Detection $SampleModels[0] | Measure-Detection -GroundTruth $SampleTruth -PerCategory
    $trials = $all | Optimize-Fusion -GroundTruth $SampleTruth -Method WBF, SoftNMS -Folds 2 -MaxTrials 12 -WarningAction SilentlyContinue
    $folder = New-TestFolder

    # Objects after a trip through Export-Clixml / Import-Clixml, as a saved search comes back.
    function Get-RoundTrip($InputObject) {
        $file = Join-Path $folder ([guid]::NewGuid().ToString('N') + '.xml')
        $InputObject | Export-Clixml $file
        Import-Clixml $file
    }

    # One live object per type name the format file selects on.
    $samples = @{
        'BoxFusion.Detection'                              = $fused[0]
        'Deserialized.BoxFusion.Detection'                 = (Get-RoundTrip $fused[0])
        'BoxFusion.Evaluation.EvaluationResult'            = $result
        'Deserialized.BoxFusion.Evaluation.EvaluationResult' = (Get-RoundTrip $result)
        'BoxFusion.Evaluation.CategoryResult'              = $perCategory[0]
        'Deserialized.BoxFusion.Evaluation.CategoryResult' = (Get-RoundTrip $perCategory[0])
        'BoxFusion.Optimization.FusionTrial'               = $trials[0]
        'Deserialized.BoxFusion.Optimization.FusionTrial'  = (Get-RoundTrip $trials[0])
        'BoxFusion.Evaluation.DetectionMatch'              = @($fused | Compare-Detection -GroundTruth $SampleTruth)[0]
    }

}

AfterAll { Remove-Item $folder -Recurse -Force }

Describe 'View headers are names a user can type' {
    It '<View> for <TypeName>: every header is a property or alias' -ForEach $viewCases {
        $samples.Contains($TypeName) | Should -BeTrue -Because "the test needs a sample object of type $TypeName"
        $object = $samples[$TypeName]
        $missing = @($Headers | Where-Object { $null -eq $object.PSObject.Properties[$_] })
        $missing | Should -BeNullOrEmpty -Because "$($missing -join ', ') should be typeable on $TypeName"
    }

    It 'filters, sorts and selects by the short names of the headers' {
        ($fused | Where-Object Category -EQ $fused[0].CategoryId | Select-Object -First 1).CategoryId | Should -Be $fused[0].CategoryId
        $result.APs | Should -Be $result.APSmall
        $result.Detections | Should -Be $result.DetectionCount
        $trials[0].IoU | Should -Be $trials[0].IouThreshold
        ($trials | Sort-Object Spread -Descending)[0].Spread | Should -Be ($trials.Spread | Measure-Object -Maximum).Maximum
    }

    It 'keeps the short names out of CSV and JSON (no duplicate columns)' {
        ($fused[0] | ConvertTo-Csv)[0] | Should -Not -Match '"Category"'
        ($result | ConvertTo-Csv)[0] | Should -Not -Match '"APs"'
        ($trials[0] | ConvertTo-Json -Depth 3 | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'IoU'
    }
}

Describe 'Measure-Detection -PerCategory' {
    It 'gives one row per category, named as in the ground truth' {
        $categories = (Get-Content $SampleTruth -Raw | ConvertFrom-Json).categories
        $perCategory.Count | Should -Be $categories.Count
        $perCategory[0] | Should -BeOfType BoxFusion.Evaluation.CategoryResult
        $perCategory.CategoryId | Should -Be $categories.id
        $perCategory.Name | Should -Be $categories.name
        $perCategory.Model | Select-Object -Unique | Should -Be '(all)'
        $text = $perCategory | Out-String -Width 200
        foreach ($c in $categories) { $text | Should -Match "(?m)^\S+\s+$($c.id)\s+$([regex]::Escape($c.name))\s+\d\.\d{3}" }
    }

    It 'averages to the overall AP, as pycocotools does' {
        $overall = (Import-Detection $SampleModels[0] | Measure-Detection -GroundTruth $SampleTruth).AP
        $present = $perCategory | Where-Object AP -GE 0
        [math]::Abs(($present.AP | Measure-Object -Average).Average - $overall) | Should -BeLessThan 1e-12
    }

    It 'gives rows per model with -GroupBy Model' {
        $rows = $all | Measure-Detection -GroundTruth $SampleTruth -GroupBy Model -PerCategory
        $rows.Model | Select-Object -Unique | Should -Be 'yolox', 'cascade', 'detr'
        $rows.Count | Should -Be (3 * $perCategory.Count)
    }
}

Describe 'CSV and JSON' {
    It 'writes fused detections with their source models as text' {
        $csv = $fused | Select-Object -First 20 | ConvertTo-Csv | ConvertFrom-Csv
        $csv.SourceModels | Should -Not -Contain 'System.String[]'
        $csv[0].SourceModels | Should -Be ($fused[0].SourceModels -join ', ')
        $fused[0].SourceModels -contains $fused[0].SourceModels[0] | Should -BeTrue
    }

    It 'writes evaluation results and trials without type names' {
        $text = @($result | ConvertTo-Csv) + @($trials | ConvertTo-Csv) + @($perCategory | ConvertTo-Csv)
        $text -match 'System\.' | Should -BeNullOrEmpty
        $row = $result | ConvertTo-Csv | ConvertFrom-Csv
        [double](($row.Stats -split ',')[0]) | Should -Be $result.AP
        $trialRow = $trials[0] | ConvertTo-Csv | ConvertFrom-Csv
        $trialRow.Models | Should -Be ($trials[0].Models -join ', ')
        $trialRow.Method | Should -Be $trials[0].Parameters.Method
        $trialRow.Parameters | Should -BeLike "*Method=$($trials[0].Parameters.Method)*"
    }

    It 'gives the method, confidence type and metric of a trial by name in JSON' {
        $json = $trials | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.Method | Should -Be @($trials.Parameters.Method)
        $json.Method | Should -BeOfType [string]
        $json[0].ConfidenceType | Should -BeIn 'Avg', 'Max', 'BoxAndModelAvg', 'AbsentModelAwareAvg'
        $json[0].Metric | Should -Be 'AP'
    }

    It 'reads its own CSV back with New-Detection, unchanged' {
        $file = Join-Path $folder 'fused.csv'
        $fused | Select-Object -First 50 | Export-Csv $file
        $back = Import-Csv $file | New-Detection
        $problems = Compare-DetectionSet ($fused | Select-Object -First 50) $back
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'Objects saved with Export-Clixml' {
    It 'show every column of the view, as before saving' {
        foreach ($pair in @($trials, $result, $perCategory)) {
            $before = $pair | Format-Table | Out-String -Width 250
            $after = Get-RoundTrip $pair | Format-Table | Out-String -Width 250
            $after | Should -Be $before
        }
    }

    It 'rebind saved detections to the cmdlets' {
        $back = Get-RoundTrip ($fused | Select-Object -First 5)
        $back[0] | Should -BeOfType BoxFusion.Detection
        $back[0].SourceModels -join ',' | Should -Be ($fused[0].SourceModels -join ',')
    }
}

Describe '-Weight completion' {
    It 'completes model names from the detections in a variable' {
        $d = Import-Detection $SampleModels
        (Complete '$d | Merge-Detection -Weight ')[0] | Should -Be '@{ yolox = 1; cascade = 1; detr = 1 }'
        (Complete 'Merge-Detection -InputObject $d -Weight ')[0] | Should -Be '@{ yolox = 1; cascade = 1; detr = 1 }'
        (Complete '$d | Where-Object Score -GT 0.1 | Merge-Detection -Weight ')[0] | Should -Be '@{ yolox = 1; cascade = 1; detr = 1 }'
    }

    It 'offers nothing for a variable that holds no detections' {
        $notDetections = 1, 2, 3
        Complete '$notDetections | Merge-Detection -Weight ' | Should -BeNullOrEmpty
    }
}
